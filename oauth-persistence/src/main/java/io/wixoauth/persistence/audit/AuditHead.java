package io.wixoauth.persistence.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The newest link of the chain. Writers lock this row, which orders every append, on every node. */
@Entity
@Table(name = "audit_head")
public class AuditHead {

    public static final int ID = 1;

    @Id
    @Column(name = "id")
    private int id;

    @Column(name = "last_seq", nullable = false)
    private long lastSeq;

    @Column(name = "last_hash", length = 64, nullable = false)
    private String lastHash;

    protected AuditHead() {
    }

    public long getLastSeq() {
        return lastSeq;
    }

    public String getLastHash() {
        return lastHash;
    }

    public void advanceTo(AuditEntry entry) {
        this.lastSeq = entry.getSeq();
        this.lastHash = entry.getHash();
    }
}

package io.wixoauth.persistence.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/** One security-relevant event. Never updated: every field is part of the hash. */
@Entity
@Table(name = "audit_entry")
@NamedQuery(name = AuditEntry.IN_ORDER, query = "SELECT a FROM AuditEntry a WHERE a.seq > :after ORDER BY a.seq")
public class AuditEntry {

    public static final String IN_ORDER = "AuditEntry.inOrder";

    @Id
    @Column(name = "seq", updatable = false)
    private long seq;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    private Instant occurredAt;

    @Column(name = "action", length = 60, nullable = false, updatable = false)
    private String action;

    @Column(name = "actor", length = 200, nullable = false, updatable = false)
    private String actor;

    @Column(name = "instance_id", length = 36, updatable = false)
    private String instanceId;

    @Column(name = "outcome", length = 40, nullable = false, updatable = false)
    private String outcome;

    @Column(name = "reason", length = 400, updatable = false)
    private String reason;

    @Column(name = "request_id", length = 80, updatable = false)
    private String requestId;

    @Column(name = "details", length = 1000, updatable = false)
    private String details;

    @Column(name = "prev_hash", length = 64, nullable = false, updatable = false)
    private String prevHash;

    @Column(name = "hash", length = 64, nullable = false, updatable = false)
    private String hash;

    /**
     * The Wix app the entry concerns (V18); null for what concerns no one app and for entries written before V18, whose
     * hashes it therefore leaves as they were: it enters the hash only when present.
     */
    @Column(name = "app_id", length = 36, updatable = false)
    private String appId;

    /** The chain key that sealed this entry; null for the plain SHA-256 entries written before V7. */
    @Column(name = "key_id", length = 32, updatable = false)
    private String keyId;

    protected AuditEntry() {
    }

    /** The next link: numbered after {@code previousSeq}, chained to {@code previousHash}, sealed with the active key. */
    public AuditEntry(long previousSeq, String previousHash, Instant occurredAt, String action, String actor,
                      String instanceId, String appId, String outcome, String reason, String requestId, String details,
                      ChainKeys keys) {
        this.seq = previousSeq + 1;
        this.prevHash = previousHash;
        this.occurredAt = occurredAt;
        this.action = action;
        this.actor = actor;
        this.instanceId = instanceId;
        this.appId = appId;
        this.outcome = outcome;
        this.reason = reason;
        this.requestId = requestId;
        this.details = details;
        this.keyId = keys.activeKeyId();
        this.hash = keys.seal(canonical());
    }

    /**
     * An entry as an archive file holds it, every field as written (with its hash and key id), not to be stored again:
     * for checking that it still is what was sealed ({@link #expectedHash}).
     */
    public static AuditEntry restored(long seq, String prevHash, Instant occurredAt, String action, String actor,
                                      String instanceId, String appId, String outcome, String reason, String requestId,
                                      String details, String hash, String keyId) {
        AuditEntry entry = new AuditEntry();
        entry.seq = seq;
        entry.prevHash = prevHash;
        entry.occurredAt = occurredAt;
        entry.action = action;
        entry.actor = actor;
        entry.instanceId = instanceId;
        entry.appId = appId;
        entry.outcome = outcome;
        entry.reason = reason;
        entry.requestId = requestId;
        entry.details = details;
        entry.hash = hash;
        entry.keyId = keyId;
        return entry;
    }

    /**
     * The hash this entry should carry, given its fields as they are now: its key's seal, or plain SHA-256 for an
     * entry from before V7. Empty when its key is not configured (it cannot be checked).
     */
    public Optional<String> expectedHash(ChainKeys keys) {
        return keyId == null ? Optional.of(sha256(canonical())) : keys.seal(keyId, canonical());
    }

    public boolean isKeyed() {
        return keyId != null;
    }

    /**
     * Every field but the hash, in a fixed order, separated by a character no field contains. The app comes last and
     * only when there is one, so an entry without one hashes as every entry before V18 did.
     */
    private String canonical() {
        String fields = String.join("\u001f", String.valueOf(seq), prevHash, occurredAt.toString(), action, actor,
                Objects.toString(instanceId, ""), outcome, Objects.toString(reason, ""), Objects.toString(requestId, ""),
                Objects.toString(details, ""));
        return appId == null ? fields : fields + "\u001fapp=" + appId;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    public String getKeyId() {
        return keyId;
    }

    public long getSeq() {
        return seq;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getAction() {
        return action;
    }

    public String getActor() {
        return actor;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public String getAppId() {
        return appId;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getReason() {
        return reason;
    }

    public String getRequestId() {
        return requestId;
    }

    public String getDetails() {
        return details;
    }

    public String getPrevHash() {
        return prevHash;
    }

    public String getHash() {
        return hash;
    }
}

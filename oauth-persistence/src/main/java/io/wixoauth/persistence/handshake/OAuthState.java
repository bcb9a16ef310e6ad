package io.wixoauth.persistence.handshake;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An install in progress: the hash of the state sent to Wix, when it stops counting, and when it was used. */
@Entity
@Table(name = "oauth_state")
public class OAuthState {

    @Id
    @Column(name = "state_hash", length = 64, nullable = false, updatable = false)
    private String stateHash;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    @Column(name = "used_at")
    private Instant usedAt;

    protected OAuthState() {
    }

    public OAuthState(String stateHash, Instant createdAt, Instant expiresAt) {
        this.stateHash = stateHash;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public boolean isUsed() {
        return usedAt != null;
    }

    public String getStateHash() {
        return stateHash;
    }
}

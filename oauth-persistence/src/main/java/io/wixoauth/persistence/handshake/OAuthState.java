package io.wixoauth.persistence.handshake;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A state that was used: its SHA-256 hash, and when it expires (after which the row is swept away; an expired state is
 * refused whether or not it was used). States are signed, so one is stored only when it is used.
 */
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
}

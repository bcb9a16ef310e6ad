package io.wixoauth.core.handshake;

import io.wixoauth.api.Secret;
import io.wixoauth.api.error.InvalidStateException;
import io.wixoauth.core.platform.WriteConflict;
import io.wixoauth.core.wix.WixSettings;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.persistence.handshake.OAuthStateRepository;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Schedule;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * CSRF states for the handshake: signed and expiring ({@link SignedState}), valid 10 minutes (the life of Wix's code,
 * section 9), used once, and only from the browser that holds the matching cookie. Issuing one stores nothing; a
 * used one is remembered, as a SHA-256 hash, until it expires.
 */
@Stateless
public class HandshakeStates {

    public static final Duration LIFETIME = Duration.ofMinutes(10);

    @Inject
    Clock clock;

    @Inject
    OAuthStateRepository repository;

    @Inject
    Installations installations;

    @Inject
    WixSettings settings;

    private SignedState signed;

    @PostConstruct
    void key() {
        signed = SignedState.keyedBy(settings.appSecret());
    }

    public Secret issue() {
        return signed.issue(Instant.now(clock).plus(LIFETIME));
    }

    /**
     * Checks, in this order: present, issued by this service, unexpired, the browser's own. Returns when it expires,
     * for {@link #use}. Costs nothing: a refused state is never stored.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Instant check(String state, String cookieState) {
        if (state == null || state.isEmpty()) {
            throw new InvalidStateException("The callback carries no state.");
        }
        Optional<Instant> expiresAt = signed.expiryOf(state);
        if (expiresAt.isEmpty()) {
            throw new InvalidStateException("The state is not one this service issued.");
        }
        if (!Instant.now(clock).isBefore(expiresAt.get())) {
            throw new InvalidStateException("The state has expired.");
        }
        if (cookieState == null || !Secret.of(state).matches(cookieState)) {
            throw new InvalidStateException("The state belongs to another browser.");
        }
        return expiresAt.get();
    }

    /** Uses up a state {@link #check} accepted: the first use records it (one row until it expires), a second fails. */
    public void use(String state, Instant expiresAt) {
        if (!markUsed(hash(state), Instant.now(clock), expiresAt)) {
            throw new InvalidStateException("The state was already used.");
        }
    }

    /** Of two callbacks with one state, one inserts the row; the other finds it, or loses on the primary key. */
    private boolean markUsed(String stateHash, Instant now, Instant expiresAt) {
        try {
            return repository.markUsed(stateHash, now, expiresAt);
        } catch (PersistenceException e) {
            if (WriteConflict.isCause(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A used state is refused as expired once it expires: its row can go then, and so can an installation its callback
     * claimed that Wix never confirmed (a browser's word alone keeps nothing longer than its state).
     */
    @Schedule(hour = "*", minute = "*/5", persistent = false)
    void deleteExpired() {
        Instant now = Instant.now(clock);
        repository.deleteExpiredBefore(now);
        installations.sweepUnconfirmed(now);
    }

    static String hash(String state) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

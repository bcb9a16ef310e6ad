package io.wixoauth.core.handshake;

import io.wixoauth.api.Secret;
import io.wixoauth.api.error.InvalidStateException;
import io.wixoauth.persistence.handshake.OAuthState;
import io.wixoauth.persistence.handshake.OAuthStateRepository;
import jakarta.ejb.Schedule;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * CSRF states for the handshake: 256 random bits, stored only as a SHA-256 hash, valid 10 minutes (the life of
 * Wix's code, section 9), used once, and only from the browser that holds the matching cookie.
 */
@Stateless
public class HandshakeStates {

    public static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    OAuthStateRepository repository;

    public Secret issue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        Secret state = Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        Instant now = Instant.now();
        repository.add(new OAuthState(hash(state.reveal()), now, now.plus(LIFETIME)));
        return state;
    }

    /** Checks, in this order: present, known, unexpired, unused, the browser's own; then uses it up. */
    public void accept(String state, String cookieState) {
        if (state == null || state.isEmpty()) {
            throw new InvalidStateException("The callback carries no state.");
        }
        OAuthState stored = WELL_FORMED.matcher(state).matches()
                ? repository.find(hash(state)).orElse(null) : null;
        Instant now = Instant.now();
        if (stored == null) {
            throw new InvalidStateException("The state is not one this service issued.");
        }
        if (stored.isExpired(now)) {
            throw new InvalidStateException("The state has expired.");
        }
        if (stored.isUsed()) {
            throw new InvalidStateException("The state was already used.");
        }
        if (cookieState == null || !Secret.of(state).matches(cookieState)) {
            throw new InvalidStateException("The state belongs to another browser.");
        }
        if (!repository.consume(stored.getStateHash(), now)) {
            throw new InvalidStateException("The state was already used.");
        }
    }

    /** Expired states are useless; an hourly sweep keeps the table small. */
    @Schedule(hour = "*", minute = "17", persistent = false)
    void deleteExpired() {
        repository.deleteExpiredBefore(Instant.now().minus(LIFETIME));
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

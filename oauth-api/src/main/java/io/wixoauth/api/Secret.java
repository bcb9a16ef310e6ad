package io.wixoauth.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A token, app secret or key. {@link #toString()} never shows the value, so a secret that slips into a
 * log line, an exception message or a JSON body shows up as a redacted fingerprint instead.
 * The value leaves only through {@link #reveal()}, which makes every use of it easy to find.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    /** First 8 bytes of the SHA-256 of the value, in hex: enough to correlate log lines, useless to an attacker. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Compares in constant time, so the time taken does not tell an attacker how much of a guess was right. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && matches(secret.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprint());
    }

    @Override
    public String toString() {
        return "Secret[sha256:" + fingerprint() + "]";
    }
}

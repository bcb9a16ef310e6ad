package io.wixoauth.core.handshake;

import io.wixoauth.api.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The handshake's CSRF state as a value that proves itself: 96 random bits, the second it expires, and a 128-bit
 * HMAC-SHA256 tag over both, base64url (43 characters). Issuing one stores nothing; only its use is recorded, so
 * anonymous visits to the App URL cost no storage. Every node derives the same key from the app secret.
 */
public final class SignedState {

    private static final int NONCE = 12;
    private static final int EXPIRY = 4;
    private static final int TAG = 16;
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] KEY_LABEL = "wix-oauth-service install state v1".getBytes(StandardCharsets.UTF_8);

    private final byte[] key;

    private SignedState(byte[] key) {
        this.key = key;
    }

    /** The state key, derived from the app secret, so no node needs a setting of its own (HMAC as a KDF). */
    public static SignedState keyedBy(Secret appSecret) {
        return new SignedState(hmac(appSecret.reveal().getBytes(StandardCharsets.UTF_8), KEY_LABEL));
    }

    public Secret issue(Instant expiresAt) {
        ByteBuffer body = ByteBuffer.allocate(NONCE + EXPIRY + TAG);
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        body.put(nonce).putInt((int) expiresAt.getEpochSecond());
        body.put(hmac(key, Arrays.copyOf(body.array(), NONCE + EXPIRY)), 0, TAG);
        return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(body.array()));
    }

    /** When {@code state} expires, if this service issued it; empty for anything forged, altered or garbled. */
    public Optional<Instant> expiryOf(String state) {
        if (state == null || !WELL_FORMED.matcher(state).matches()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(state);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] signed = Arrays.copyOf(bytes, NONCE + EXPIRY);
        byte[] expected = Arrays.copyOf(hmac(key, signed), TAG);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, NONCE + EXPIRY, bytes.length))) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Integer.toUnsignedLong(ByteBuffer.wrap(bytes, NONCE, EXPIRY).getInt())));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}

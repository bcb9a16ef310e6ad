package io.wixoauth.persistence.audit;

import io.wixoauth.persistence.crypto.KeyRing;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The keys the audit chain is sealed with ({@code oauth.audit.keys}, {@code kid:base64} of 256 bits, like the token
 * keys): HMAC-SHA256, so that someone who can write the database but does not hold a key cannot recompute a link.
 * The active key seals new entries; the others stay, so older entries still verify after a rotation.
 */
public final class ChainKeys {

    private static final String HMAC = "HmacSHA256";

    private final KeyRing ring;

    private ChainKeys(KeyRing ring) {
        this.ring = ring;
    }

    /** Throws {@link IllegalArgumentException} naming the problem, never a key. */
    public static ChainKeys parse(String keys, String activeKeyId) {
        return new ChainKeys(KeyRing.parse(keys, activeKeyId));
    }

    public String activeKeyId() {
        return ring.activeKeyId();
    }

    /** The seal of {@code text} under the active key. */
    public String seal(String text) {
        return seal(activeKeyId(), text).orElseThrow();
    }

    /** The seal of {@code text} under {@code keyId}; empty when no such key is configured. */
    public Optional<String> seal(String keyId, String text) {
        return ring.keyFor(keyId, HMAC).map(key -> hmac(key, text));
    }

    private static String hmac(SecretKey key, String text) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}

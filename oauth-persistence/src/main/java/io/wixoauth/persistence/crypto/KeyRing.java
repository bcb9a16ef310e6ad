package io.wixoauth.persistence.crypto;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The token-encryption keys by key id. New values are written under the active key; every key in the ring can still
 * read, so keys rotate without downtime. Built from {@code kid1:base64key,kid2:base64key}.
 */
public final class KeyRing {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final Map<String, SecretKey> keys;
    private final String activeKeyId;

    private KeyRing(Map<String, SecretKey> keys, String activeKeyId) {
        this.keys = Map.copyOf(keys);
        this.activeKeyId = activeKeyId;
    }

    /** Throws {@link IllegalArgumentException} with a message that names the problem but never shows a key. */
    public static KeyRing parse(String keys, String activeKeyId) {
        Map<String, SecretKey> parsed = new LinkedHashMap<>();
        for (String entry : keys.split(",")) {
            String trimmed = entry.strip();
            int colon = trimmed.indexOf(':');
            String kid = colon < 0 ? "" : trimmed.substring(0, colon);
            if (!KEY_ID.matcher(kid).matches()) {
                throw new IllegalArgumentException("each key must be written kid:base64key, with a kid of letters, digits, - or _");
            }
            if (parsed.put(kid, aesKey(kid, trimmed.substring(colon + 1))) != null) {
                throw new IllegalArgumentException("key id " + kid + " appears twice");
            }
        }
        if (activeKeyId == null || !parsed.containsKey(activeKeyId)) {
            throw new UnknownActiveKeyException(parsed.keySet().toString());
        }
        return new KeyRing(parsed, activeKeyId);
    }

    /** The keys are fine, but the active key id names none of them. */
    public static final class UnknownActiveKeyException extends IllegalArgumentException {
        UnknownActiveKeyException(String configuredKeyIds) {
            super("the active key id is not one of the configured keys " + configuredKeyIds);
        }
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    /** Every key id the ring can open values of. */
    public java.util.Set<String> keyIds() {
        return java.util.Set.copyOf(keys.keySet());
    }

    SecretKey activeKey() {
        return keys.get(activeKeyId);
    }

    Optional<SecretKey> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** The same keys under another algorithm's name, for keys that MAC instead of encrypt (the audit chain). */
    public Optional<SecretKey> keyFor(String keyId, String algorithm) {
        return key(keyId).map(key -> new SecretKeySpec(key.getEncoded(), algorithm));
    }

    private static SecretKey aesKey(String kid, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key " + kid + " is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("key " + kid + " has " + bytes.length * 8 + " bits; AES-256 needs exactly 256");
        }
        return new SecretKeySpec(bytes, "AES");
    }
}

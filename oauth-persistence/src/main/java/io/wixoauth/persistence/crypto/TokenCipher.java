package io.wixoauth.persistence.crypto;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * AES-256-GCM for refresh tokens. A stored value reads {@code v1:<kid>:<instanceId>:<nonce>:<ciphertext>}; everything
 * before the nonce is authenticated as associated data, so changing the key id or the owner breaks the tag, and a
 * value copied into another installation's row still names its true owner.
 */
public final class TokenCipher {

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final KeyRing keys;
    private final SecureRandom random = new SecureRandom();

    public TokenCipher(KeyRing keys) {
        this.keys = keys;
    }

    String activeKeyId() {
        return keys.activeKeyId();
    }

    public String seal(InstanceId owner, Secret token) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce); // a fresh 96-bit nonce for every write: GCM must never reuse one under a key
        String header = VERSION + ":" + keys.activeKeyId() + ":" + owner.value();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.activeKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(token.reveal().getBytes(StandardCharsets.UTF_8));
            return header + ":" + encode(nonce) + ":" + encode(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every Java platform", e);
        }
    }

    public SealedToken open(String stored) {
        String[] parts = stored.split(":", -1);
        if (parts.length != 5 || !VERSION.equals(parts[0])) {
            return SealedToken.unreadable("not a sealed token");
        }
        Optional<javax.crypto.SecretKey> key = keys.key(parts[1]);
        if (key.isEmpty()) {
            return SealedToken.unreadable("sealed with key " + parts[1] + ", which is not in the key ring");
        }
        try {
            InstanceId owner = InstanceId.of(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, decode(parts[3])));
            cipher.updateAAD((parts[0] + ":" + parts[1] + ":" + parts[2]).getBytes(StandardCharsets.UTF_8));
            String token = new String(cipher.doFinal(decode(parts[4])), StandardCharsets.UTF_8);
            return SealedToken.readable(owner, Secret.of(token), parts[1]);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return SealedToken.unreadable("failed authentication: altered, or sealed under a different key");
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] decode(String text) {
        return Base64.getUrlDecoder().decode(text);
    }
}

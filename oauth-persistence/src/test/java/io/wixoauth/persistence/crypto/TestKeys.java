package io.wixoauth.persistence.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/** Random AES-256 keys in the configuration's {@code kid:base64key} form. */
public final class TestKeys {

    private TestKeys() {
    }

    public static String entry(String kid) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return kid + ":" + Base64.getEncoder().encodeToString(key);
    }

    public static KeyRing ring(String kid) {
        return KeyRing.parse(entry(kid), kid);
    }
}

package io.wixoauth.persistence.crypto;

/**
 * The process-wide cipher the JPA converter uses. Installed once at start-up, after the key ring was validated;
 * a converter cannot rely on injection in every persistence provider, so it looks the cipher up here.
 */
public final class TokenEncryption {

    private static volatile TokenCipher cipher;

    private TokenEncryption() {
    }

    public static void install(KeyRing keys) {
        cipher = new TokenCipher(keys);
    }

    /** The key new values are sealed with; rows sealed with another one are what a re-encryption rewrites. */
    public static String activeKeyId() {
        return cipher().activeKeyId();
    }

    public static boolean isInstalled() {
        return cipher != null;
    }

    static TokenCipher cipher() {
        TokenCipher current = cipher;
        if (current == null) {
            throw new IllegalStateException("token encryption is not configured yet");
        }
        return current;
    }
}

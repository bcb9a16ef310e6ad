package io.wixoauth.persistence.crypto;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCipherTest {

    private final InstanceId owner = InstanceId.of(UUID.randomUUID().toString());
    private final Secret token = Secret.of("JWS.refresh.the-real-refresh-token");
    private final String k1 = TestKeys.entry("k1");
    private final TokenCipher cipher = new TokenCipher(KeyRing.parse(k1, "k1"));

    @Test
    void sealsWithoutPlainTextAndOpensForItsOwner() {
        String sealed = cipher.seal(owner, token);

        assertThat(sealed).startsWith("v1:k1:" + owner.value() + ":").doesNotContain("the-real-refresh-token");
        assertThat(cipher.open(sealed).tokenFor(owner)).contains(token);
    }

    @Test
    void everyWriteUsesAFreshNonce() {
        assertThat(cipher.seal(owner, token)).isNotEqualTo(cipher.seal(owner, token));
    }

    @Test
    void aValueCopiedToAnotherInstallationOpensToNothing() {
        InstanceId other = InstanceId.of(UUID.randomUUID().toString());
        SealedToken copied = cipher.open(cipher.seal(owner, token));

        assertThat(copied.tokenFor(other)).isEmpty();
        assertThat(copied.problemFor(other)).isEqualTo("sealed for another installation");
    }

    @Test
    void rewritingTheOwnerOrAnyByteBreaksTheTag() {
        String sealed = cipher.seal(owner, token);
        InstanceId other = InstanceId.of(UUID.randomUUID().toString());
        String reOwned = sealed.replace(owner.value(), other.value());
        // A character inside the ciphertext: the last one may carry only base64 padding bits, which decoders ignore.
        int inside = sealed.lastIndexOf(':') + 5;
        char original = sealed.charAt(inside);
        String flipped = sealed.substring(0, inside) + (original == 'A' ? 'B' : 'A') + sealed.substring(inside + 1);

        assertThat(cipher.open(reOwned).tokenFor(other)).isEmpty();
        assertThat(cipher.open(reOwned).problem()).startsWith("failed authentication");
        assertThat(cipher.open(flipped).problem()).startsWith("failed authentication");
        assertThat(cipher.open("plain-text-token").problem()).isEqualTo("not a sealed token");
    }

    @Test
    void olderKeysStillOpenAfterRotationAndNewWritesUseTheActiveKey() {
        String oldValue = cipher.seal(owner, token);
        TokenCipher rotated = new TokenCipher(KeyRing.parse(k1 + "," + TestKeys.entry("k2"), "k2"));

        assertThat(rotated.open(oldValue).tokenFor(owner)).contains(token);
        assertThat(rotated.seal(owner, token)).startsWith("v1:k2:");
        assertThat(new TokenCipher(TestKeys.ring("k1")).open(oldValue).problem())
                .as("same kid, different key").startsWith("failed authentication");
        assertThat(new TokenCipher(TestKeys.ring("k9")).open(oldValue).problem()).contains("not in the key ring");
    }
}

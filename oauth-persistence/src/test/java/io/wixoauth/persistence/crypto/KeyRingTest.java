package io.wixoauth.persistence.crypto;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRingTest {

    @Test
    void readsSeveralKeysAndTheActiveOne() {
        assertThat(KeyRing.parse(TestKeys.entry("old") + ", " + TestKeys.entry("new"), "new").activeKeyId()).isEqualTo("new");
    }

    @Test
    void refusesKeysThatAreNot256BitsWithoutShowingThem() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> KeyRing.parse("k1:" + shortKey, "k1"))
                .isNotInstanceOf(KeyRing.UnknownActiveKeyException.class)
                .hasMessage("key k1 has 128 bits; AES-256 needs exactly 256")
                .hasMessageNotContaining(shortKey);
    }

    @Test
    void refusesAMissingActiveKeyBadBase64AndDuplicates() {
        assertThatThrownBy(() -> KeyRing.parse(TestKeys.entry("k1"), "k2"))
                .isInstanceOf(KeyRing.UnknownActiveKeyException.class).hasMessageContaining("[k1]");
        assertThatThrownBy(() -> KeyRing.parse(TestKeys.entry("k1"), null)).isInstanceOf(KeyRing.UnknownActiveKeyException.class);
        assertThatThrownBy(() -> KeyRing.parse("k1:not base64!", "k1")).hasMessage("key k1 is not valid base64");
        assertThatThrownBy(() -> KeyRing.parse(TestKeys.entry("k1") + "," + TestKeys.entry("k1"), "k1"))
                .hasMessage("key id k1 appears twice");
        assertThatThrownBy(() -> KeyRing.parse("nokid", "k1")).hasMessageContaining("kid:base64key");
    }
}

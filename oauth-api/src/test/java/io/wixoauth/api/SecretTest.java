package io.wixoauth.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretTest {

    @Test
    void toStringNeverShowsTheValue() {
        Secret secret = Secret.of("super-secret-token-value");
        assertThat(secret.toString()).doesNotContain("super-secret").startsWith("Secret[sha256:");
        assertThat(String.valueOf(java.util.List.of(secret))).doesNotContain("super-secret");
    }

    @Test
    void fingerprintIsStableAndShort() {
        assertThat(Secret.of("abc").fingerprint()).isEqualTo("ba7816bf8f01cfea").isEqualTo(Secret.of("abc").fingerprint());
    }

    @Test
    void matchesOnlyTheExactValue() {
        Secret secret = Secret.of("s3cr3t");
        assertThat(secret.matches("s3cr3t")).isTrue();
        assertThat(secret.matches("s3cr3")).isFalse();
        assertThat(secret.matches(null)).isFalse();
        assertThat(secret).isEqualTo(Secret.of("s3cr3t")).isNotEqualTo(Secret.of("other"));
    }

    @Test
    void refusesEmptyValues() {
        assertThatThrownBy(() -> Secret.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Secret.of(null)).isInstanceOf(IllegalArgumentException.class);
    }
}

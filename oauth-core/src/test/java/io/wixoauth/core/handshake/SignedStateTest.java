package io.wixoauth.core.handshake;

import io.wixoauth.api.Secret;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SignedStateTest {

    private final SignedState states = SignedState.keyedBy(Secret.of("app-secret-one"));
    private final Instant expiry = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    @Test
    void aStateItIssuedNamesItsExpiry() {
        String state = states.issue(expiry).reveal();

        assertThat(state).matches("[A-Za-z0-9_-]{43}");
        assertThat(states.expiryOf(state)).hasValue(expiry);
    }

    @Test
    void everyStateIsDifferent() {
        Set<String> issued = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            issued.add(states.issue(expiry).reveal());
        }
        assertThat(issued).hasSize(1000);
    }

    @Test
    void aStateWithAnyBitChangedIsNotOurs() {
        byte[] bytes = Base64.getUrlDecoder().decode(states.issue(expiry).reveal());
        for (int i = 0; i < bytes.length; i++) {
            byte[] altered = bytes.clone();
            altered[i] ^= 0x01;
            assertThat(states.expiryOf(Base64.getUrlEncoder().withoutPadding().encodeToString(altered)))
                    .as("byte %d changed", i).isEmpty();
        }
    }

    @Test
    void anotherAppSecretsStatesAndGarbageAreNotOurs() {
        String foreign = SignedState.keyedBy(Secret.of("app-secret-two")).issue(expiry).reveal();

        assertThat(states.expiryOf(foreign)).isEmpty();
        assertThat(states.expiryOf(null)).isEmpty();
        assertThat(states.expiryOf("")).isEmpty();
        assertThat(states.expiryOf("a".repeat(43))).isEmpty();
        assertThat(states.expiryOf("a".repeat(44))).isEmpty();
        assertThat(states.expiryOf("!".repeat(43))).isEmpty();
    }
}

package io.wixoauth.core.relay;

import com.standardwebhooks.Webhook;
import io.wixoauth.api.Secret;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelaySignerTest {

    @Test
    void aReceiverVerifiesWithEitherSecretDuringARotationAndNotWithAnother() throws Exception {
        Secret current = RelaySigner.newSecret();
        Secret previous = RelaySigner.newSecret();
        String body = "{\"type\":\"installation.completed\",\"timestamp\":\"2026-12-02T10:00:00Z\",\"data\":{}}";
        Map<String, List<String>> headers = RelaySigner.headers("evt_1", Instant.now(), body, List.of(current, previous))
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));

        assertThat(current.reveal()).startsWith("whsec_").hasSize("whsec_".length() + 44);
        new Webhook(current.reveal()).verify(body, headers);
        new Webhook(previous.reveal()).verify(body, headers);
        assertThatThrownBy(() -> new Webhook(RelaySigner.newSecret().reveal()).verify(body, headers))
                .hasMessageContaining("No matching signature");
        assertThatThrownBy(() -> new Webhook(current.reveal()).verify(body.replace("{}", "{\"x\":1}"), headers))
                .hasMessageContaining("No matching signature");
    }
}

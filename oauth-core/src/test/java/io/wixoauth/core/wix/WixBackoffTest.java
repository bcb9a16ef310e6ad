package io.wixoauth.core.wix;

import io.wixoauth.core.testing.MutableClock;
import io.wixoauth.api.error.UpstreamUnavailableException;
import io.wixoauth.api.installation.InstanceId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WixBackoffTest {

    private final MutableClock clock = new MutableClock();
    private final WixBackoff backoff = new WixBackoff(clock, Duration.ofSeconds(1), Duration.ofSeconds(8));
    private final InstanceId failing = InstanceId.of(UUID.randomUUID().toString());
    private final InstanceId healthy = InstanceId.of(UUID.randomUUID().toString());

    @Test
    void waitsLongerAfterEachFailureUpToTheMaximumAndOnlyForTheFailingInstance() {
        for (long expected : new long[]{1, 2, 4, 8, 8}) {
            backoff.failed(failing, Optional.empty());
            assertThat(pausedFor(failing)).isEqualTo(Duration.ofSeconds(expected));
            assertThatCode(() -> backoff.checkTurn(healthy)).doesNotThrowAnyException();
            clock.advance(Duration.ofSeconds(expected));
            assertThatCode(() -> backoff.checkTurn(failing)).doesNotThrowAnyException();
        }
    }

    @Test
    void wixsRetryAfterWinsAndASuccessClearsThePause() {
        backoff.failed(failing, Optional.of(Duration.ofSeconds(30)));
        assertThat(pausedFor(failing)).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        backoff.succeeded(failing);
        backoff.failed(failing, Optional.empty());
        assertThat(pausedFor(failing)).isEqualTo(Duration.ofSeconds(1));
    }

    private Duration pausedFor(InstanceId instanceId) {
        try {
            backoff.checkTurn(instanceId);
        } catch (UpstreamUnavailableException e) {
            return e.retryAfter().orElseThrow();
        }
        throw new AssertionError("not paused");
    }

    @Test
    void aPausedInstanceIsRefusedWithoutAnyCall() {
        backoff.failed(failing, Optional.empty());
        assertThatThrownBy(() -> backoff.checkTurn(failing)).isInstanceOf(UpstreamUnavailableException.class)
                .hasMessageContaining("paused");
    }
}

package io.wixoauth.core.platform;

import io.wixoauth.api.admin.WixHealth;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What the console's overview says of Wix: the last 15 minutes of this node's calls, in a window of fixed size. */
class UpstreamWindowTest {

    private final Instant now = Instant.parse("2026-12-06T12:00:00Z");
    private final UpstreamWindow window = new UpstreamWindow();

    @Test
    void latencyPercentilesAndFailuresOfTheLastFifteenMinutesOnly() {
        for (int i = 1; i <= 100; i++) {
            window.call(now.minusSeconds(60), Duration.ofMillis(i), i > 90);
        }
        window.call(now.minus(Duration.ofMinutes(16)), Duration.ofMillis(9_000), true); // too old to count

        WixHealth health = window.snapshot(now);

        assertThat(health.calls()).isEqualTo(100);
        assertThat(health.failed()).isEqualTo(10);
        assertThat(health.p50Millis()).isEqualTo(50);
        assertThat(health.p95Millis()).isEqualTo(95);
        assertThat(health.paused()).isFalse();
        assertThat(health.lastThrottledAt()).isNull();
    }

    @Test
    void aPauseIsReportedForAMinuteAndThrottlingIsRemembered() {
        window.throttled(now.minusSeconds(300));
        window.paused(now.minusSeconds(30));

        assertThat(window.snapshot(now).paused()).isTrue();
        assertThat(window.snapshot(now.plusSeconds(31)).paused()).as("a minute later").isFalse();
        assertThat(window.snapshot(now).lastThrottledAt()).isEqualTo(now.minusSeconds(300));
        assertThat(window.snapshot(now).throttledSinceStart()).isEqualTo(1);
        assertThat(window.snapshot(now).p50Millis()).as("no call, no latency").isNull();
    }

    @Test
    void itHoldsItsLastCallsWhateverTheTraffic() {
        for (int i = 0; i < 10 * UpstreamWindow.KEPT; i++) {
            window.call(now, Duration.ofMillis(i < 9 * UpstreamWindow.KEPT ? 1_000 : 5), false);
        }
        WixHealth health = window.snapshot(now);
        assertThat(health.calls()).isEqualTo(UpstreamWindow.KEPT);
        assertThat(health.p95Millis()).as("only the newest calls").isEqualTo(5);
    }
}

package io.wixoauth.core.relay;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(8), Duration.ofDays(3));
    private final Instant created = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void delaysDoubleFromTheBaseWithinTwentyPercentAndStopAtTheMaximum() {
        for (int attempt = 1; attempt <= 8; attempt++) {
            long expected = 5_000L << (attempt - 1);
            Duration delay = delayAfter(attempt, created, Optional.empty());
            assertThat(delay.toMillis()).as("attempt %d", attempt).isBetween((long) (expected * 0.8), (long) (expected * 1.2));
        }
        assertThat(delayAfter(40, created, Optional.empty()).toMillis())
                .isBetween((long) (Duration.ofHours(8).toMillis() * 0.8), (long) (Duration.ofHours(8).toMillis() * 1.2));
    }

    @Test
    void aLongerRetryAfterIsHonouredUpToADayAndAShorterOneDoesNotHurryTheBackOff() {
        assertThat(delayAfter(1, created, Optional.of(Duration.ofMinutes(10)))).isEqualTo(Duration.ofMinutes(10));
        assertThat(delayAfter(1, created, Optional.of(Duration.ofDays(30)))).isEqualTo(Duration.ofDays(1));
        assertThat(delayAfter(3, created, Optional.of(Duration.ofSeconds(1))).toMillis()).isGreaterThanOrEqualTo(16_000);
    }

    @Test
    void givesUpOnceTheNextAttemptWouldFallPastThreeDaysFromTheEvent() {
        Instant late = created.plus(Duration.ofDays(3)).minusSeconds(1);
        assertThat(schedule.next(3, created, late, Optional.empty())).isEmpty();
        assertThat(schedule.next(3, created, created.plusSeconds(60), Optional.empty())).isPresent();
        // Over three days the schedule makes about twenty attempts: often enough, never a flood.
        Instant now = created;
        int attempts = 0;
        for (Optional<Instant> next = Optional.of(created); next.isPresent(); attempts++) {
            now = next.get();
            next = schedule.next(attempts + 1, created, now, Optional.empty());
        }
        assertThat(attempts).isBetween(15, 25);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateAndIgnoredOtherwise() {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        assertThat(RetrySchedule.retryAfter(headers("120"), now)).contains(Duration.ofSeconds(120));
        assertThat(RetrySchedule.retryAfter(headers("Wed, 02 Dec 2026 10:05:00 GMT"), now)).contains(Duration.ofMinutes(5));
        assertThat(RetrySchedule.retryAfter(headers("soon"), now)).isEmpty();
        assertThat(RetrySchedule.retryAfter(headers("-5"), now)).isEmpty();
        assertThat(RetrySchedule.retryAfter(HttpHeaders.of(Map.of(), (a, b) -> true), now)).isEmpty();
    }

    private Duration delayAfter(int attempts, Instant createdAt, Optional<Duration> retryAfter) {
        Instant now = createdAt.plusSeconds(1);
        return Duration.between(now, schedule.next(attempts, createdAt, now, retryAfter).orElseThrow());
    }

    private static HttpHeaders headers(String retryAfter) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
    }
}

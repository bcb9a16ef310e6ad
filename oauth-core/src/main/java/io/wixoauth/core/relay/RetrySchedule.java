package io.wixoauth.core.relay;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a delivery that failed is tried again: exponential back-off from {@code base}, doubled per attempt up to
 * {@code maxDelay}, with ±20% jitter so receivers coming back are not hit by every node at once; a receiver's
 * {@code Retry-After} (seconds or an HTTP date) is honoured when it asks for longer, up to a day. After
 * {@code giveUpAfter} from the event (about three days by default, some 20 attempts) the delivery is failed.
 */
public record RetrySchedule(Duration base, Duration maxDelay, Duration giveUpAfter) {

    private static final Duration LONGEST_RETRY_AFTER = Duration.ofDays(1);

    /** The next attempt after {@code attempts} failed ones, or empty if it is time to give up. */
    public Optional<Instant> next(int attempts, Instant createdAt, Instant now, Optional<Duration> retryAfter) {
        Duration backoff = base.multipliedBy(1L << Math.min(attempts - 1, 30));
        if (backoff.compareTo(maxDelay) > 0 || backoff.isNegative()) {
            backoff = maxDelay;
        }
        long millis = backoff.toMillis();
        long jittered = millis + (long) (millis * (ThreadLocalRandom.current().nextDouble() * 0.4 - 0.2));
        Duration delay = Duration.ofMillis(Math.max(1, jittered));
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            delay = retryAfter.get().compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : retryAfter.get();
        }
        Instant next = now.plus(delay);
        return next.isAfter(createdAt.plus(giveUpAfter)) ? Optional.empty() : Optional.of(next);
    }

    /** {@code Retry-After} as seconds or an HTTP date (RFC 9110 section 10.2.3); anything else is ignored. */
    public static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        return headers.firstValue("Retry-After").map(String::strip).flatMap(value -> {
            try {
                long seconds = Long.parseLong(value);
                return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return at.isAfter(now) ? Optional.of(Duration.between(now, at)) : Optional.of(Duration.ZERO);
                } catch (DateTimeParseException notADate) {
                    return Optional.empty();
                }
            }
        });
    }
}

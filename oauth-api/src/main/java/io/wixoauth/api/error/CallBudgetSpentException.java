package io.wixoauth.api.error;

import java.time.Duration;
import java.util.Objects;

/**
 * The instance has used its budget of Wix calls for now (protocol section 0: about 200 a minute per instance), or Wix
 * asked it to wait (a 429): answered {@code 429} with {@code Retry-After} by the service itself, without calling Wix.
 */
public class CallBudgetSpentException extends ServiceException {

    private final Duration retryAfter;

    public CallBudgetSpentException(String message, Duration retryAfter) {
        super(message, "rate_limited", ErrorKind.RATE_LIMITED);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}

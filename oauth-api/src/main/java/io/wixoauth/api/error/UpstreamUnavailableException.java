package io.wixoauth.api.error;

import java.time.Duration;
import java.util.Optional;

/**
 * Wix was slow, unreachable, throttling (429) or failing (5xx); worth retrying later. When it is known how much later
 * (Wix's own {@code Retry-After}, or this service backing off an instance), {@link #retryAfter()} says so.
 */
public class UpstreamUnavailableException extends ServiceException {

    private final Duration retryAfter;

    public UpstreamUnavailableException(String message) {
        this(message, (Duration) null);
    }

    public UpstreamUnavailableException(String message, Duration retryAfter) {
        super(message, "upstream_unavailable", ErrorKind.UPSTREAM_UNAVAILABLE);
        this.retryAfter = retryAfter;
    }

    public UpstreamUnavailableException(String message, Throwable cause) {
        super(message, "upstream_unavailable", ErrorKind.UPSTREAM_UNAVAILABLE, cause);
        this.retryAfter = null;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

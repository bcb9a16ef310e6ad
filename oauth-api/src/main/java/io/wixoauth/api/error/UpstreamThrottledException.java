package io.wixoauth.api.error;

import java.time.Duration;

/**
 * Wix answered 429: this instance is over its rate limit (protocol section 0, about 200 requests per minute per
 * instance). Unlike other transient failures it is not retried at once: an immediate retry only adds to the count.
 */
public class UpstreamThrottledException extends UpstreamUnavailableException {

    public UpstreamThrottledException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}

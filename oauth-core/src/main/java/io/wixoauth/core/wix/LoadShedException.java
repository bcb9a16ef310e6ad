package io.wixoauth.core.wix;

import io.wixoauth.api.error.UpstreamUnavailableException;

import java.time.Duration;

/**
 * A call to Wix this service chose not to make: the circuit breaker is open after a Wix-wide outage, the bulkhead is
 * full, or the retry budget is spent. Never retried, and no fault of the instance, which does not back off for it.
 */
public class LoadShedException extends UpstreamUnavailableException {

    public LoadShedException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}

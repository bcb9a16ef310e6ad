package io.wixoauth.core.wix;

import io.wixoauth.api.error.UpstreamUnavailableException;

import java.util.Optional;

/**
 * Wix did not answer, or answered 5xx: a failure of Wix as a whole, which the circuit breaker counts. A 4xx or a 429
 * is about one instance or one request, and is not one.
 */
public class WixOutage extends UpstreamUnavailableException {

    private final transient WixAnswer answer;

    public WixOutage(String message, Throwable cause) {
        super(message, cause);
        this.answer = null;
    }

    protected WixOutage(String message) {
        super(message);
        this.answer = null;
    }

    WixOutage(WixAnswer answer) {
        super("Wix answered HTTP " + answer.status());
        this.answer = answer;
    }

    /** The 5xx answer, if there was one. */
    Optional<WixAnswer> answer() {
        return Optional.ofNullable(answer);
    }
}

package io.wixoauth.api.error;

/** Wix was slow, unreachable, throttling (429) or failing (5xx); worth retrying later. */
public class UpstreamUnavailableException extends ServiceException {

    public UpstreamUnavailableException(String message) {
        super(message, "upstream_unavailable", ErrorKind.UPSTREAM_UNAVAILABLE);
    }

    public UpstreamUnavailableException(String message, Throwable cause) {
        super(message, "upstream_unavailable", ErrorKind.UPSTREAM_UNAVAILABLE, cause);
    }
}

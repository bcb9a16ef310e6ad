package io.wixoauth.api.error;

/** Wix was slow, unreachable, throttling (429) or failing (5xx); worth retrying later. */
public class UpstreamUnavailableException extends ServiceException {

    public UpstreamUnavailableException(String message) {
        super(message);
    }

    public UpstreamUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorCode() {
        return "upstream_unavailable";
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.UPSTREAM_UNAVAILABLE;
    }
}

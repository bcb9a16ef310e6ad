package io.wixoauth.api.error;

/**
 * Wix answered 400, 401, 403 or 404: asking again will not help (wrong app credentials, app not installed on the
 * instance). Nothing is cached.
 */
public class UpstreamRejectedException extends ServiceException {

    private final int upstreamStatus;

    public UpstreamRejectedException(String message, int upstreamStatus) {
        super(message, "upstream_rejected", ErrorKind.UPSTREAM_REJECTED);
        this.upstreamStatus = upstreamStatus;
    }

    public int upstreamStatus() {
        return upstreamStatus;
    }
}

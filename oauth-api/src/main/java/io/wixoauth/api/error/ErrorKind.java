package io.wixoauth.api.error;

/** What kind of failure a business exception is; the web layer turns each kind into one HTTP status. */
public enum ErrorKind {
    INVALID_REQUEST,
    UNAUTHENTICATED,
    FORBIDDEN,
    NOT_FOUND,
    GONE,
    CONFLICT,
    RATE_LIMITED,
    TOO_LARGE,
    UPSTREAM_REJECTED,
    UPSTREAM_UNAVAILABLE
}

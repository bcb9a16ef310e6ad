package io.wixoauth.api.error;

/** What kind of failure a business exception is; the web layer turns each kind into one HTTP status. */
public enum ErrorKind {
    INVALID_REQUEST,
    UNAUTHENTICATED,
    NOT_FOUND,
    GONE,
    CONFLICT,
    UPSTREAM_REJECTED,
    UPSTREAM_UNAVAILABLE
}

package io.wixoauth.api.error;

/** What kind of failure a business exception is; the web layer turns each kind into one HTTP status. */
public enum ErrorKind {
    INVALID_REQUEST,
    NOT_FOUND,
    UPSTREAM_REJECTED,
    UPSTREAM_UNAVAILABLE
}

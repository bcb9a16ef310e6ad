package io.wixoauth.api.error;

import jakarta.ejb.ApplicationException;

/**
 * The root of every failure the service reports to a caller. Its message is written for the caller and must never
 * contain a secret or an internal detail. Rolls back the surrounding transaction.
 */
@ApplicationException(rollback = true)
public abstract class ServiceException extends RuntimeException {

    private final String errorCode;
    private final ErrorKind kind;

    protected ServiceException(String message, String errorCode, ErrorKind kind) {
        this(message, errorCode, kind, null);
    }

    protected ServiceException(String message, String errorCode, ErrorKind kind, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.kind = kind;
    }

    /** A stable, machine-readable code such as {@code invalid_request}. */
    public final String errorCode() {
        return errorCode;
    }

    public final ErrorKind kind() {
        return kind;
    }
}

package io.wixoauth.api.error;

import jakarta.ejb.ApplicationException;

/**
 * The root of every failure the service reports to a caller. Its message is written for the caller and must never
 * contain a secret or an internal detail. Rolls back the surrounding transaction.
 */
@ApplicationException(rollback = true)
public abstract class ServiceException extends RuntimeException {

    protected ServiceException(String message) {
        super(message);
    }

    protected ServiceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A stable, machine-readable code such as {@code invalid_request}. */
    public abstract String errorCode();

    public abstract ErrorKind kind();
}

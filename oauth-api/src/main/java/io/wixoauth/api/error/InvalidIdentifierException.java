package io.wixoauth.api.error;

/** An id in a request is missing or malformed. */
public class InvalidIdentifierException extends ServiceException {

    public InvalidIdentifierException(String message) {
        super(message, "invalid_request", ErrorKind.INVALID_REQUEST);
    }
}

package io.wixoauth.api.error;

/** An id in a request is missing or malformed. */
public class InvalidIdentifierException extends ServiceException {

    public InvalidIdentifierException(String message) {
        super(message);
    }

    @Override
    public String errorCode() {
        return "invalid_request";
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.INVALID_REQUEST;
    }
}

package io.wixoauth.api.error;

/** The install link is missing its state, or the state is unknown, expired, already used or belongs to another browser. */
public class InvalidStateException extends ServiceException {

    public InvalidStateException(String message) {
        super(message, "invalid_state", ErrorKind.INVALID_REQUEST);
    }
}

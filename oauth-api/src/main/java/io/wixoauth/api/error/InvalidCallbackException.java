package io.wixoauth.api.error;

/** The callback is missing its code or instance id, or one of them is malformed. */
public class InvalidCallbackException extends ServiceException {

    public InvalidCallbackException(String message) {
        super(message, "invalid_request", ErrorKind.INVALID_REQUEST);
    }
}

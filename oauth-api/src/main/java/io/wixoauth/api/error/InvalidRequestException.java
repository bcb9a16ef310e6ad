package io.wixoauth.api.error;

/** A request that is malformed in a way the caller can fix, such as a missing reason. */
public class InvalidRequestException extends ServiceException {

    public InvalidRequestException(String message) {
        super(message, "invalid_request", ErrorKind.INVALID_REQUEST);
    }
}

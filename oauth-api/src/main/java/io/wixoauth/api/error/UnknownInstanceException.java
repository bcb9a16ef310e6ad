package io.wixoauth.api.error;

/** The app is not installed on this instance. */
public class UnknownInstanceException extends ServiceException {

    public UnknownInstanceException(String message) {
        super(message, "unknown_instance", ErrorKind.NOT_FOUND);
    }
}

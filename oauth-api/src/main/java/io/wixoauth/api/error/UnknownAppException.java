package io.wixoauth.api.error;

/** No app this deployment serves has this id. */
public class UnknownAppException extends ServiceException {

    public UnknownAppException(String message) {
        super(message, "unknown_app", ErrorKind.NOT_FOUND);
    }
}

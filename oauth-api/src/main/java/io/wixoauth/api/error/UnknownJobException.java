package io.wixoauth.api.error;

/** No job has this id. */
public class UnknownJobException extends ServiceException {

    public UnknownJobException(String message) {
        super(message, "unknown_job", ErrorKind.NOT_FOUND);
    }
}

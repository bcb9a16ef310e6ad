package io.wixoauth.api.error;

/** A job of this kind is running already: one at a time, whichever node was asked. */
public class JobAlreadyRunningException extends ServiceException {

    public JobAlreadyRunningException(String message) {
        super(message, "job_running", ErrorKind.CONFLICT);
    }
}

package io.wixoauth.api.error;

/** The apps cannot change this way now: the app exists already, or still has installations. */
public class AppConflictException extends ServiceException {

    public AppConflictException(String message) {
        super(message, "app_conflict", ErrorKind.CONFLICT);
    }
}

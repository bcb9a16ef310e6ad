package io.wixoauth.api.error;

/**
 * The deployment serves several apps and the service has no record of the instance: which app's token is wanted cannot
 * be guessed, and a token of the wrong app is never served. The caller names the app in the address.
 */
public class AppRequiredException extends ServiceException {

    public AppRequiredException(String message) {
        super(message, "app_required", ErrorKind.INVALID_REQUEST);
    }
}

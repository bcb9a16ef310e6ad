package io.wixoauth.api.error;

/**
 * Wix refused the app's own credentials ({@code invalid_client}): the secret was changed in Wix's dashboard and not
 * here yet, or mistyped. Nothing about the instance is wrong, so nothing about it changes: an operator sets the app's
 * secret, and the same request then succeeds.
 */
public class AppSecretRefusedException extends ServiceException {

    public AppSecretRefusedException(String message) {
        super(message, "app_secret_refused", ErrorKind.UPSTREAM_REJECTED);
    }
}

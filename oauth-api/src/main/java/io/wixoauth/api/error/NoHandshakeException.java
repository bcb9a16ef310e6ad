package io.wixoauth.api.error;

/**
 * The app's installs need no redirect: it has no Redirect URL here (it uses OAuth's client credentials, or was moved
 * off custom authentication). Its install link explains that to the site owner instead of starting a handshake.
 */
public class NoHandshakeException extends ServiceException {

    public NoHandshakeException(String message) {
        super(message, "no_handshake", ErrorKind.INVALID_REQUEST);
    }
}

package io.wixoauth.api.error;

/** Wix refused the authorization code: it is invalid, expired or was already used. */
public class CodeRefusedException extends ServiceException {

    public CodeRefusedException(String message) {
        super(message, "invalid_grant", ErrorKind.UPSTREAM_REJECTED);
    }
}

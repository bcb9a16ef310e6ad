package io.wixoauth.api.error;

/** The caller's groups do not allow this Wix API path (the proxy's per-group allow-lists): {@code 403}. */
public class PathNotAllowedException extends ServiceException {

    public PathNotAllowedException(String message) {
        super(message, "path_not_allowed", ErrorKind.FORBIDDEN);
    }
}

package io.wixoauth.api.error;

/** The app was uninstalled from this instance. */
public class InstallationGoneException extends ServiceException {

    public InstallationGoneException(String message) {
        super(message, "installation_gone", ErrorKind.GONE);
    }
}

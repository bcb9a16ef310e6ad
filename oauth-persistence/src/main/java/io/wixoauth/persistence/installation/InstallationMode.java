package io.wixoauth.persistence.installation;

/** How access tokens are obtained for an installation. */
public enum InstallationMode {
    /** Basic OAuth (protocol section 1): app id, app secret and the instance id. */
    CLIENT_CREDENTIALS
}

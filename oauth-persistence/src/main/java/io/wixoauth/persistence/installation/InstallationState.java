package io.wixoauth.persistence.installation;

/** Where an installation stands in its life cycle. */
public enum InstallationState {
    INSTALLED,
    /** Wix refused the stored refresh token; the ciphertext is kept until an operator decides. */
    REFRESH_TOKEN_REJECTED,
    /** An operator asked for the site owner to reinstall the app; served as before until they do. */
    REINSTALL_REQUESTED,
    UNINSTALLED
}

package io.wixoauth.persistence.installation;

/** Where an installation stands in its life cycle. */
public enum InstallationState {
    INSTALLED,
    UNINSTALLED
}

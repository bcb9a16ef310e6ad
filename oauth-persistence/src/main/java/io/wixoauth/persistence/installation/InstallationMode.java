package io.wixoauth.persistence.installation;

/** How access tokens are obtained for an installation. */
public enum InstallationMode {
    /** Advanced OAuth: a stored refresh token (protocol section 4). */
    REFRESH_TOKEN,
    /** Basic OAuth by design: cloned sites and instances that arrived by webhook only (protocol sections 1, 2). */
    CLIENT_CREDENTIALS,
    /** Basic OAuth because the install's refresh token was lost or refused; {@code failureReason} says why. */
    CLIENT_CREDENTIALS_FALLBACK
}

package io.wixoauth.api.admin;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an operator can do to one installation; each needs a reason and is recorded in the audit trail. */
public enum AdminAction {
    /** Drop the cached token and fetch a fresh one now. */
    FORCE_REFRESH,
    /** Serve the installation with client credentials from now on; the refresh-token ciphertext stays. */
    SWITCH_TO_CLIENT_CREDENTIALS,
    /** Delete the stored refresh token; the installation falls back to client credentials. */
    FORGET_REFRESH_TOKEN,
    /** Flag that the site owner must reinstall the app (to get a new refresh token). */
    MARK_FOR_REINSTALL,
    /** Check again that client credentials work for a fallen-back installation, and record the outcome. */
    RETRY_FALLBACK,
    /** Undo the migration off custom authentication for this installation while its refresh token is still kept. */
    SWITCH_BACK_TO_REFRESH_TOKEN;

    /** The name in URLs, e.g. {@code force-refresh}. */
    public String pathName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<AdminAction> fromPathName(String name) {
        return Arrays.stream(values()).filter(a -> a.pathName().equals(name)).findFirst();
    }
}

package io.wixoauth.api.token;

import java.util.Locale;

/** Which OAuth strategy produced an access token. */
public enum TokenSource {
    /** Basic OAuth, Create Access Token (protocol section 1). */
    CLIENT_CREDENTIALS,
    /** Advanced OAuth, a stored refresh token (protocol section 4). */
    REFRESH_TOKEN;

    /** The name used on the wire, e.g. {@code client_credentials}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

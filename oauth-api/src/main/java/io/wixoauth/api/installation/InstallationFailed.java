package io.wixoauth.api.installation;

import java.time.Instant;
import java.util.Objects;

/**
 * An install (or a stored refresh token) failed, and the installation must fall back to client credentials
 * (protocol section 2, step 5). Fired after the failed transaction; observers act in transactions of their own.
 *
 * @param appId            the app installed there, whose client credentials the fallback asks for
 * @param requestReference the id shown to the site owner and written to the logs, so operations can find this
 */
public record InstallationFailed(InstanceId instanceId, AppId appId, Reason reason, Instant at, String requestReference) {

    public enum Reason {
        /** Wix did not answer the code exchange (protocol section 3). */
        CODE_EXCHANGE_FAILED,
        /** The transaction that stores the refresh token rolled back. */
        STORAGE_FAILED,
        /** Wix refused the stored refresh token (400/401/403, protocol section 4). */
        REFRESH_TOKEN_REJECTED,
        /** The stored ciphertext cannot be opened (unknown key, or not sealed for this installation). */
        REFRESH_TOKEN_UNREADABLE;

        /** Found by a token load, which goes on to serve the fallback's token itself. */
        public boolean foundByTokenLoad() {
            return this == REFRESH_TOKEN_REJECTED || this == REFRESH_TOKEN_UNREADABLE;
        }
    }

    public InstallationFailed {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(requestReference, "requestReference");
    }
}

package io.wixoauth.api.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A Wix access token for one instance of one app, with the moment it stops working and where it came from: a token
 * of one app is never served as another's.
 */
public record IssuedAccessToken(InstanceId instanceId, AppId appId, Secret token, Instant expiresAt, TokenSource source) {

    public IssuedAccessToken {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(source, "source");
    }

    /** True when the token is still good for at least {@code margin} after {@code now}. */
    public boolean isValidFor(Duration margin, Instant now) {
        return now.plus(margin).isBefore(expiresAt);
    }
}

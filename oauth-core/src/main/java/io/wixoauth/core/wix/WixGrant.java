package io.wixoauth.core.wix;

import io.wixoauth.api.Secret;

import java.time.Duration;
import java.util.Optional;

/** What a code exchange or a refresh returns: an access token, its lifetime, and the refresh token, if Wix sent one. */
public record WixGrant(Secret accessToken, Optional<Secret> refreshToken, Duration expiresIn) {
}

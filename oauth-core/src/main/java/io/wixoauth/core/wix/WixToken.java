package io.wixoauth.core.wix;

import io.wixoauth.api.Secret;

import java.time.Duration;

/** An access token as Wix issued it, with its lifetime as Wix stated it. */
public record WixToken(Secret accessToken, Duration expiresIn) {
}

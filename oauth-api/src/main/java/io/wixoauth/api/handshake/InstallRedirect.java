package io.wixoauth.api.handshake;

import io.wixoauth.api.Secret;

import java.net.URI;
import java.time.Duration;

/** Where to send the browser, and the state to bind to it with a cookie for {@code lifetime}. */
public record InstallRedirect(URI location, Secret state, Duration lifetime) {
}

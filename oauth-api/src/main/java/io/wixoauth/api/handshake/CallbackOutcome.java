package io.wixoauth.api.handshake;

import io.wixoauth.api.installation.InstanceId;

import java.net.URI;

/**
 * A finished callback: the close-window page to send the browser to (protocol section 2, step 6), and whether the
 * install is on its refresh token or fell back to client credentials.
 */
public record CallbackOutcome(InstanceId instanceId, URI closeWindow, boolean fellBack) {
}

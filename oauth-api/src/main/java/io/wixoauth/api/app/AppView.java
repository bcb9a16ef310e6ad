package io.wixoauth.api.app;

import java.time.Instant;

/**
 * One app as operators see it: never its secret, the secret's fingerprint instead (the first 8 bytes of its SHA-256),
 * and where the secret in force comes from ({@code setting} or {@code admin_api}).
 *
 * @param installed     its installations that are not uninstalled
 * @param secretRefused when Wix last refused the secret in force ({@code invalid_client}), as this node saw it; null if
 *                      it did not
 */
public record AppView(String appId, boolean defaultApp, String secretFingerprint, String secretSource,
                      Instant secretChangedAt, String redirectUrl, boolean handshake, long installed,
                      Instant secretRefused, Instant addedAt, String addedBy) {
}

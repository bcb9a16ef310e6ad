package io.wixoauth.persistence.app;

import io.wixoauth.api.Secret;

import java.time.Instant;
import java.util.Optional;

/**
 * A Wix app as stored: its secret opened (empty when no key of the ring opens it, and for the default app when its
 * secret is still the setting's), its webhook keys and Redirect URL (empty for the default app, whose come from its
 * settings); {@code secretChangedAt} and {@code secretChangedBy} are null while its secret is the setting's.
 */
public record StoredApp(String appId, Optional<Secret> secret, Optional<String> webhookPublicKeys,
                        Optional<String> redirectUrl, boolean handshake, Instant addedAt, String addedBy,
                        Instant secretChangedAt, String secretChangedBy) {
}

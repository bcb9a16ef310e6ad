package io.wixoauth.persistence.relay;

import io.wixoauth.api.Secret;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A backend's subscription as stored; {@code appIds} is {@code [*]} for every app. {@code secrets} are the ones that sign now: the current one first, and the
 * previous one while its overlap lasts after a rotation.
 */
public record Subscription(String id, String url, List<String> eventTypes, State state, String stateReason,
                           Instant createdAt, String createdBy, Secret secret, Optional<Secret> previousSecret,
                           Instant previousSecretUntil, List<String> appIds) {

    public enum State { ACTIVE, PAUSED, DISABLED }

    public static final String EVERY_TYPE = "*";

    public List<Secret> signingSecrets(Instant now) {
        return previousSecret.isPresent() && previousSecretUntil != null && now.isBefore(previousSecretUntil)
                ? List.of(secret, previousSecret.get()) : List.of(secret);
    }
}

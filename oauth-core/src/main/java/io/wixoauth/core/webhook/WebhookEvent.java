package io.wixoauth.core.webhook;

import io.wixoauth.api.installation.InstanceId;
import jakarta.json.JsonObject;

import java.time.Instant;

/** A verified webhook: what happened, to which instance, when Wix says it happened, and the event's own data. */
public record WebhookEvent(String eventType, InstanceId instanceId, Instant occurredAt, JsonObject data) {

    public String text(String name) {
        return data.containsKey(name) && data.get(name) instanceof jakarta.json.JsonString s ? s.getString() : null;
    }
}

package io.wixoauth.core.webhook;

import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import jakarta.json.JsonObject;

import java.time.Instant;

/**
 * A verified webhook: what happened, to which instance of which app (the app whose key signed it), when Wix says it
 * happened, and the event's own data.
 */
public record WebhookEvent(String eventType, AppId appId, InstanceId instanceId, Instant occurredAt, JsonObject data) {

    public String text(String name) {
        return data.containsKey(name) && data.get(name) instanceof jakarta.json.JsonString s ? s.getString() : null;
    }
}

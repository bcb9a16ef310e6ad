package io.wixoauth.core.relay;

import io.wixoauth.api.Jsonp;
import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * An event as receivers get it: the Standard Webhooks payload {@code {"type", "timestamp", "data"}}, the instance in
 * {@code data.instanceId}, and an id that is the {@code webhook-id} header, stable across retries.
 */
public record RelayEvent(String id, String type, String instanceId, Instant timestamp, JsonObject data) {

    /**
     * The same event, of the app {@code appId}: named in {@code data.appId}, which is what a subscription's
     * {@code appIds} are matched against.
     */
    public RelayEvent forApp(String appId) {
        var builder = Jsonp.object();
        data.forEach(builder::add);
        return new RelayEvent(id, type, instanceId, timestamp, builder.add("appId", appId).build());
    }

    /** The app the event is of, or null (an event of none). */
    public String appId() {
        return data.get("appId") instanceof jakarta.json.JsonString app ? app.getString() : null;
    }

    /** One of this service's own events: a new id. */
    public static RelayEvent of(String type, String instanceId, JsonObject data) {
        return new RelayEvent("evt_" + UUID.randomUUID().toString().replace("-", ""), type, instanceId, Instant.now(),
                withInstance(data, instanceId));
    }

    /**
     * One of this service's own events that is reported at most once per {@code key}: a second one with the same key
     * is the same event, and the outbox keeps the first.
     */
    public static RelayEvent once(String key, String type, String instanceId, JsonObject data) {
        return new RelayEvent("evt_" + digest(key), type, instanceId, Instant.now(), withInstance(data, instanceId));
    }

    /**
     * A Wix webhook, relayed: its id comes from the webhook's signed body, so the same webhook delivered twice by Wix
     * (protocol section 6: it retries for 48 hours) is one event.
     */
    public static RelayEvent ofWixWebhook(String rawBody, String eventType, String instanceId, Instant occurredAt,
                                          JsonObject data) {
        return new RelayEvent("evt_wix_" + digest(rawBody), "wix." + eventType, instanceId, occurredAt,
                withInstance(data, instanceId));
    }

    public String body() {
        return Jsonp.object().add("type", type).add("timestamp", timestamp.toString()).add("data", data).build().toString();
    }

    private static JsonObject withInstance(JsonObject data, String instanceId) {
        var builder = Jsonp.object();
        data.forEach(builder::add);
        if (instanceId != null) {
            builder.add("instanceId", instanceId);
        }
        return builder.build();
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

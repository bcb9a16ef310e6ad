package io.wixoauth.web.support;

import io.wixoauth.web.support.EventReceiver.Received;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Subscribing a receiver to the event relay, and reading what it received, for any node. */
public final class Relays {

    private Relays() {
    }

    /** {@code POST /api/admin/subscriptions} on {@code service}, as operations would. */
    public static HttpResponse<String> subscribe(URI service, URI url, List<String> types) {
        String body = Json.createObjectBuilder().add("url", url.toString())
                .add("eventTypes", Json.createArrayBuilder(types)).add("reason", "billing listens").build().toString();
        return Http.send(HttpRequest.newBuilder(service.resolve("/api/admin/subscriptions"))
                .header("Authorization", "Bearer " + ServiceEnvironment.get().bearer("oauth-admin"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** What the receiver got about one installation, every attempt, in arrival order. */
    public static List<Received> eventsFor(EventReceiver backend, String instanceId) {
        return backend.received().stream()
                .filter(e -> instanceId.equals(payload(e).getJsonObject("data").getString("instanceId", null)))
                .toList();
    }

    /** The types of the events about one installation that the receiver accepted (2xx), in arrival order. */
    public static List<String> typesFor(EventReceiver backend, String instanceId) {
        return eventsFor(backend, instanceId).stream().filter(e -> e.answeredWith() / 100 == 2)
                .map(e -> payload(e).getString("type")).toList();
    }

    public static JsonObject payload(Received event) {
        return Json.createReader(new StringReader(event.body())).readObject();
    }

    public static String webhookId(Received event) {
        return event.headers().firstValue("webhook-id").orElseThrow();
    }
}

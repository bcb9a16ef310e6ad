package io.wixoauth.simulator;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What a person (or a test in another language) does to Wix from outside, under {@code /simulator}: a site owner
 * installs, clones, buys a plan or uninstalls, Wix sends any signed webhook, or Wix goes down for a while. Real Wix has
 * no such door; the simulator listens on loopback only.
 *
 * <pre>
 * GET    /simulator                              the app id, Wix's webhook public key, calls per endpoint
 * POST   /simulator/instances                    install on a new site ({"originInstanceId"} for a cloned one)
 * POST   /simulator/instances/{id}/plan          buy a paid plan ({"vendorProductId", "cycle"})
 * POST   /simulator/instances/{id}/uninstall     uninstall (the refresh token dies with it)
 * POST   /simulator/webhooks                     sign any event ({"eventType", "instanceId", "data"})
 * POST   /simulator/outage                       every Wix endpoint answers {"status"} (503) for {"seconds"}
 * DELETE /simulator/outage                       Wix is back
 * POST   /simulator/apps                         another app of the same company: its id, secret and webhook key
 * POST   /simulator/apps/{appId}/secret          the app's secret regenerated: the old one refused from now on
 * </pre>
 *
 * Each change sends the webhook Wix would send to the webhook URL, when one is set, and answers with the signed body
 * and the status the receiver gave.
 */
final class ControlEndpoints {

    static final String PREFIX = "/simulator";

    private static final Pattern INSTANCE_ACTION = Pattern.compile("/simulator/instances/([0-9a-fA-F-]{36})/(plan|uninstall)");
    private static final Pattern APP_SECRET = Pattern.compile("/simulator/apps/([0-9a-fA-F-]{36})/secret");
    private static final Set<String> CYCLES = Set.of("MONTHLY", "YEARLY", "ONE_TIME");
    private static final Duration LONGEST_OUTAGE = Duration.ofHours(1);

    private final WixSimulator wix;
    private final WixState state;

    ControlEndpoints(WixSimulator wix, WixState state) {
        this.wix = wix;
        this.state = state;
    }

    void handle(Exchange exchange, String path) throws IOException {
        String method = exchange.method();
        var action = INSTANCE_ACTION.matcher(path);
        if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
            onlyFor("GET", exchange, () -> describe(exchange));
        } else if (path.equals(PREFIX + "/instances")) {
            onlyFor("POST", exchange, () -> install(exchange));
        } else if (action.matches()) {
            String instanceId = action.group(1).toLowerCase();
            onlyFor("POST", exchange, () -> {
                if (!state.isInstalled(instanceId)) {
                    exchange.wixError(404, "The app is not installed on this instance", "APP_NOT_INSTALLED");
                } else if ("plan".equals(action.group(2))) {
                    buyPlan(exchange, instanceId);
                } else {
                    uninstall(exchange, instanceId);
                }
            });
        } else if (path.equals(PREFIX + "/apps")) {
            // Another app of the same company, as created in Wix's dev center: its id, secret and webhook key.
            onlyFor("POST", exchange, () -> {
                String appId = wix.addApp();
                exchange.json(200, Json.createObjectBuilder().add("appId", appId).add("secret", wix.appSecret(appId))
                        .add("webhookPublicKey", wix.webhooks(appId).publicKeyPem()).build());
            });
        } else if (APP_SECRET.matcher(path).matches()) {
            String appId = APP_SECRET.matcher(path).replaceAll("$1").toLowerCase();
            onlyFor("POST", exchange, () -> {
                if (wix.appSecret(appId) == null) {
                    exchange.wixError(404, "No such app", "NOT_FOUND");
                } else {
                    // As the dashboard's OAuth page shows it once regenerated: the old secret is refused from now on.
                    exchange.json(200, Json.createObjectBuilder().add("appId", appId)
                            .add("secret", wix.regenerateSecret(appId)).build());
                }
            });
        } else if (path.equals(PREFIX + "/webhooks")) {
            onlyFor("POST", exchange, () -> webhook(exchange));
        } else if (path.equals(PREFIX + "/outage")) {
            if ("DELETE".equals(method)) {
                wix.endOutage();
                exchange.json(200, Json.createObjectBuilder().add("outage", false).build());
            } else {
                onlyFor("POST", exchange, () -> outage(exchange));
            }
        } else {
            exchange.wixError(404, "Not found", "NOT_FOUND");
        }
    }

    private void describe(Exchange exchange) throws IOException {
        JsonObjectBuilder calls = Json.createObjectBuilder();
        for (Endpoint endpoint : Endpoint.values()) {
            calls.add(endpoint.method() + " " + endpoint.path(), wix.calls(endpoint));
        }
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("appId", wix.appId())
                .add("webhookPublicKey", wix.webhooks().publicKeyPem())
                .add("webhookUrl", wix.webhookUrl().map(URI::toString).map(v -> (JsonValue) Json.createValue(v))
                        .orElse(JsonValue.NULL))
                .add("calls", calls);
        wix.outageUntil().ifPresent(until -> body.add("outageUntil", until.toString()));
        exchange.json(200, body.build());
    }

    /** A site owner installs the app (basic OAuth: no consent flow, as for a cloned site) and Wix says AppInstalled. */
    private void install(Exchange exchange) throws IOException {
        Optional<JsonObject> request = optionalBody(exchange);
        if (request == null) {
            return;
        }
        String origin = request.map(r -> OAuthEndpoints.text(r, "originInstanceId")).orElse(null);
        if (origin != null && !isUuid(origin)) {
            exchange.wixError(400, "originInstanceId must be an instance id", "INVALID_ARGUMENT");
            return;
        }
        String instanceId = WixState.newInstanceId();
        JsonObjectBuilder data = Json.createObjectBuilder().add("appId", wix.appId());
        if (origin == null) {
            state.install(instanceId);
        } else {
            state.installClone(instanceId, origin);
            data.add("originInstanceId", origin);
        }
        exchange.json(201, send("AppInstalled", instanceId, data.build()).add("instanceId", instanceId).build());
    }

    private void buyPlan(Exchange exchange, String instanceId) throws IOException {
        Optional<JsonObject> request = optionalBody(exchange);
        if (request == null) {
            return;
        }
        String product = request.map(r -> OAuthEndpoints.text(r, "vendorProductId")).orElse("premium");
        String cycle = request.map(r -> OAuthEndpoints.text(r, "cycle")).orElse("MONTHLY");
        if (!CYCLES.contains(cycle) || product.isBlank() || product.length() > 100) {
            exchange.wixError(400, "cycle must be one of " + CYCLES + "; vendorProductId 1-100 characters", "INVALID_ARGUMENT");
            return;
        }
        Instant now = state.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus("YEARLY".equals(cycle) ? 365 : 30, ChronoUnit.DAYS);
        WixState.Plan plan = new WixState.Plan(product, cycle, now, expires, UUID.randomUUID().toString());
        state.buyPlan(instanceId, plan);
        exchange.json(200, send("PaidPlanPurchased", instanceId, Json.createObjectBuilder()
                .add("operationTimeStamp", now.toString())
                .add("vendorProductId", product)
                .add("cycle", cycle)
                .add("expiresOn", expires.toString())
                .add("invoiceId", plan.invoiceId())
                .build()).build());
    }

    private void uninstall(Exchange exchange, String instanceId) throws IOException {
        state.uninstall(instanceId);
        exchange.json(200, send("AppRemoved", instanceId, Json.createObjectBuilder().add("appId", wix.appId()).build())
                .build());
    }

    /** Any event, signed as Wix signs it; the simulator's own state is not changed by it. */
    private void webhook(Exchange exchange) throws IOException {
        Optional<JsonObject> request = exchange.jsonBody();
        String eventType = request.map(r -> OAuthEndpoints.text(r, "eventType")).orElse(null);
        String instanceId = request.map(r -> OAuthEndpoints.text(r, "instanceId")).orElse(null);
        JsonValue data = request.map(r -> r.get("data")).orElse(null);
        if (eventType == null || eventType.isBlank() || instanceId == null || !isUuid(instanceId)
                || data != null && data.getValueType() != JsonValue.ValueType.OBJECT) {
            exchange.wixError(400, "Expected {\"eventType\", \"instanceId\", \"data\": {...}}", "INVALID_ARGUMENT");
            return;
        }
        JsonObject eventData = data == null ? Json.createObjectBuilder().add("appId", wix.appId()).build() : data.asJsonObject();
        exchange.json(200, send(eventType, instanceId, eventData).build());
    }

    private void outage(Exchange exchange) throws IOException {
        Optional<JsonObject> request = optionalBody(exchange);
        if (request == null) {
            return;
        }
        long seconds = request.map(r -> whole(r, "seconds")).orElse(60L);
        long status = request.map(r -> whole(r, "status")).orElse(503L);
        if (seconds < 1 || seconds > LONGEST_OUTAGE.toSeconds() || (status != 429 && (status < 500 || status > 599))) {
            exchange.wixError(400, "seconds must be 1-3600 and status 429 or 5xx", "INVALID_ARGUMENT");
            return;
        }
        Instant until = wix.startOutage(Duration.ofSeconds(seconds), (int) status);
        exchange.json(200, Json.createObjectBuilder().add("outage", true).add("status", status)
                .add("until", until.toString()).build());
    }

    /** Signs the event and delivers it to the webhook URL, if there is one: the signed body and the receiver's status. */
    private JsonObjectBuilder send(String eventType, String instanceId, JsonObject data) {
        String jwt = wix.webhooks().sign(eventType, instanceId, data, Instant.now());
        JsonObjectBuilder result = Json.createObjectBuilder().add("eventType", eventType).add("webhook", jwt);
        wix.webhookUrl().ifPresent(url -> {
            try {
                result.add("deliveredTo", url.toString()).add("status", wix.webhooks().post(url, jwt));
            } catch (IllegalStateException e) {
                result.add("deliveredTo", url.toString()).add("error", "the webhook URL did not answer");
            }
        });
        return result;
    }

    /** An absent or empty body means the defaults; anything else must be a JSON object. Null when answered 400. */
    private static Optional<JsonObject> optionalBody(Exchange exchange) throws IOException {
        if (exchange.header("Content-Type") == null) {
            return Optional.empty();
        }
        Optional<JsonObject> body = exchange.jsonBody();
        if (body.isEmpty()) {
            exchange.wixError(400, "Expected a JSON object sent as application/json", "INVALID_ARGUMENT");
            return null;
        }
        return body;
    }

    private static void onlyFor(String method, Exchange exchange, Action action) throws IOException {
        if (method.equals(exchange.method())) {
            action.run();
        } else {
            exchange.wixError(405, "Method not allowed", "METHOD_NOT_ALLOWED");
        }
    }

    /** A whole number, -1 when present but not one (refused by the caller's range check), null when absent. */
    private static Long whole(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null) {
            return null;
        }
        return value instanceof jakarta.json.JsonNumber n && n.isIntegral() ? n.longValue() : -1L;
    }

    private static boolean isUuid(String value) {
        try {
            return UUID.fromString(value).toString().equalsIgnoreCase(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private interface Action {
        void run() throws IOException;
    }
}

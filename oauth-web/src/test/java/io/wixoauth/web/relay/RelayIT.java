package io.wixoauth.web.relay;

import com.standardwebhooks.Webhook;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.EventReceiver;
import io.wixoauth.web.support.EventReceiver.Received;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.Relays;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.wixoauth.web.support.Eventually.eventually;
import static io.wixoauth.web.support.Eventually.throughout;
import static io.wixoauth.web.support.Relays.eventsFor;
import static io.wixoauth.web.support.Relays.payload;
import static io.wixoauth.web.support.Relays.typesFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The company's backend hears of every lifecycle event: subscribed through the admin API, each event signed per the
 * Standard Webhooks specification and verified here with its own Java library, as a receiver would; retried when the
 * receiver fails, in order per installation, once per Wix webhook however often Wix sends it, and never for a change
 * that rolled back.
 */
@ServiceIT
class RelayIT {

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();
    private final ServiceDatabase db = env.database();

    @Test
    void everyLifecycleEventReachesTheBackendSignedInOrderAndAWebhookSentTwiceOnce() throws Exception {
        try (EventReceiver backend = new EventReceiver()) {
            HttpResponse<String> created = subscribe(backend.url(), List.of("*"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonObject answer = Http.json(created);
            String secret = answer.getString("secret");
            String id = answer.getJsonObject("subscription").getString("id");
            assertThat(secret).startsWith("whsec_");
            assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/api/admin/subscriptions/" + id);

            String instance = UUID.randomUUID().toString();
            String installed = signed("AppInstalled", instance, Instant.now());
            assertThat(wix.webhooks().post(env.webhookUrl(), installed)).isEqualTo(200);
            assertThat(wix.webhooks().post(env.webhookUrl(), installed)).as("Wix sends it again").isEqualTo(200);
            assertThat(webhook("PaidPlanPurchased", instance, Json.createObjectBuilder().add("appId", wix.appId())
                    .add("vendorProductId", "premium").add("cycle", "MONTHLY").build())).isEqualTo(200);
            // Wix's event times have whole seconds: a removal counts only if later than the install (section 6).
            assertThat(wix.webhooks().post(env.webhookUrl(), signed("AppRemoved", instance, Instant.now().plusSeconds(2))))
                    .isEqualTo(200);

            List<String> expected = List.of("wix.AppInstalled", "installation.completed", "wix.PaidPlanPurchased",
                    "wix.AppRemoved", "installation.uninstalled");
            assertThat(eventually(() -> typesFor(backend, instance).size() >= expected.size()))
                    .as("events received: %s", typesFor(backend, instance)).isTrue();
            assertThat(typesFor(backend, instance)).as("in order, the repeated webhook once").isEqualTo(expected);

            Webhook verifier = new Webhook(secret);
            for (Received event : eventsFor(backend, instance)) {
                verifier.verify(event.body(), event.headers().map()); // throws if the signature does not hold
                JsonObject payload = Json.createReader(new java.io.StringReader(event.body())).readObject();
                assertThat(payload.getJsonObject("data").getString("instanceId")).isEqualTo(instance);
                assertThat(Instant.parse(payload.getString("timestamp"))).as("Wix's clock or ours")
                        .isBefore(Instant.now().plusSeconds(5));
                assertThat(event.headers().firstValue("webhook-id").orElseThrow()).startsWith("evt_");
            }
            JsonObject completed = payload(eventsFor(backend, instance).get(1));
            assertThat(completed.getJsonObject("data").getString("mode")).isEqualTo("client_credentials");
            JsonObject plan = payload(eventsFor(backend, instance).get(2));
            assertThat(plan.getJsonObject("data").getString("vendorProductId")).isEqualTo("premium");
            assertThat(eventsFor(backend, instance).stream().map(e -> e.headers().firstValue("webhook-id").orElseThrow())
                    .distinct()).hasSize(expected.size());

            String tampered = eventsFor(backend, instance).get(0).body().replace(instance, UUID.randomUUID().toString());
            assertThat(verifies(verifier, tampered, eventsFor(backend, instance).get(0))).as("an altered body").isFalse();

            JsonObject view = Http.json(admin("GET", "subscriptions/" + id, null));
            assertThat(view.toString()).doesNotContain(secret.substring(6));
            assertThat(eventually(() -> Http.json(admin("GET", "subscriptions/" + id, null)).getJsonObject("deliveries")
                    .getInt("PENDING") == 0)).isTrue();
            assertThat(Http.json(admin("GET", "subscriptions/" + id, null)).getJsonObject("deliveries").getInt("DELIVERED"))
                    .isGreaterThanOrEqualTo(expected.size());

            String metrics = Http.get(env.service().resolve("metrics?scope=application"), null).body();
            assertThat(metrics).containsPattern("oauth_relay_deliveries_total\\{[^}]*outcome=\"delivered\"[^}]*} [1-9]")
                    .containsPattern("oauth_relay_lag_milliseconds_count\\{[^}]*} [1-9]")
                    .contains("oauth_relay_pending").contains("oauth_relay_oldest_pending_seconds")
                    .doesNotContain(instance).doesNotContain(secret.substring(6));
            double slowest = metrics.lines().filter(line -> line.startsWith("oauth_relay_lag_milliseconds_max{"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).max().orElse(-1);
            assertThat(slowest).as("the slowest delivery after its commit, in ms").isBetween(1.0, 20_000.0);
            delete(id);
        }
    }

    @Test
    void aReceiverThatFailsIsRetriedWithBackOffHonouringRetryAfterAndA410DisablesUntilResumed() throws Exception {
        try (EventReceiver backend = new EventReceiver()) {
            JsonObject created = Http.json(subscribe(backend.url(), List.of("installation.completed")));
            String id = created.getJsonObject("subscription").getString("id");
            backend.answerNext(2, 500, Map.of());
            backend.answerNext(1, 429, Map.of("Retry-After", "2"));

            String first = UUID.randomUUID().toString();
            assertThat(webhook("AppInstalled", first, appData())).isEqualTo(200);

            assertThat(eventually(() -> eventsFor(backend, first).stream().anyMatch(e -> e.answeredWith() == 204)))
                    .as("delivered after the receiver came back: %s", backend.received()).isTrue();
            List<Received> attempts = eventsFor(backend, first);
            assertThat(attempts).extracting(Received::answeredWith).containsExactly(500, 500, 429, 204);
            assertThat(attempts.stream().map(e -> e.headers().firstValue("webhook-id").orElseThrow()).distinct())
                    .as("the same event each time").hasSize(1);
            assertThat(Duration.between(attempts.get(2).at(), attempts.get(3).at()))
                    .as("Retry-After: 2 honoured").isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at()))
                    .as("backed off, not hammered").isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(backend.received()).as("only the subscribed type")
                    .allSatisfy(e -> assertThat(payload(e).getString("type")).isEqualTo("installation.completed"));
            // The dispatcher records the delivery after the receiver's answer: a moment after the 204 above.
            JsonObject delivery = eventually(() -> Http.jsonArray(admin("GET", "subscriptions/" + id
                    + "/deliveries?state=delivered", null)), found -> !found.isEmpty(), Duration.ofSeconds(10))
                    .getJsonObject(0);
            assertThat(delivery.getInt("attempts")).isEqualTo(4);
            assertThat(delivery.getInt("lastStatus")).isEqualTo(204);

            backend.answerNext(1, 410, Map.of());
            String second = UUID.randomUUID().toString();
            assertThat(webhook("AppInstalled", second, appData())).isEqualTo(200);
            assertThat(eventually(() -> "DISABLED".equals(Http.json(admin("GET", "subscriptions/" + id, null))
                    .getString("state")))).as("a 410 disables the subscription").isTrue();
            assertThat(Http.json(admin("GET", "subscriptions/" + id, null)).getString("stateReason")).contains("410");

            HttpResponse<String> resumed = admin("POST", "subscriptions/" + id + "/resume", "{\"reason\":\"receiver fixed\"}");
            assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
            assertThat(eventually(() -> eventsFor(backend, second).stream().anyMatch(e -> e.answeredWith() == 204)))
                    .as("the event the 410 refused is delivered once resumed").isTrue();
            delete(id);
        }
    }

    @Test
    void aChangeThatRollsBackReportsNothingAndIsReportedOnceWhenWixSendsItAgain() throws Exception {
        try (EventReceiver backend = new EventReceiver()) {
            String id = Http.json(subscribe(backend.url(), List.of("*"))).getJsonObject("subscription").getString("id");
            String instance = UUID.randomUUID().toString();
            assertThat(webhook("AppInstalled", instance, appData())).isEqualTo(200);
            assertThat(eventually(() -> typesFor(backend, instance).contains("installation.completed"))).isTrue();

            // The database refuses to record this instance's removal: the change, and its event, roll back.
            db.update("ALTER TABLE installation ADD CONSTRAINT relay_it_refuse CHECK (instance_id <> '" + instance
                    + "' OR state <> 'UNINSTALLED')");
            // Wix's event times have whole seconds: a removal must be later than the install to count (section 6).
            String removed = signed("AppRemoved", instance, Instant.now().plusSeconds(2));
            try {
                assertThat(wix.webhooks().post(env.webhookUrl(), removed)).as("Wix will send it again").isGreaterThanOrEqualTo(500);
                assertThat(eventually(() -> typesFor(backend, instance).contains("wix.AppRemoved")))
                        .as("what Wix said is relayed").isTrue();
                // 1.5 s, a dispatcher round or more: an event written would have been sent by then.
                assertThat(throughout(() -> !typesFor(backend, instance).contains("installation.uninstalled"),
                        Duration.ofMillis(1500))).as("no report of a change that rolled back").isTrue();
            } finally {
                db.update("ALTER TABLE installation DROP CONSTRAINT relay_it_refuse");
            }

            assertThat(wix.webhooks().post(env.webhookUrl(), removed)).isEqualTo(200);
            assertThat(eventually(() -> typesFor(backend, instance).contains("installation.uninstalled"))).isTrue();
            assertThat(typesFor(backend, instance)).containsExactly("wix.AppInstalled", "installation.completed",
                    "wix.AppRemoved", "installation.uninstalled");
            delete(id);
        }
    }

    @Test
    void theServicesOwnNewsReachesTheBackendInstallRefusedTokenReinstallAndFallback() throws Exception {
        try (EventReceiver backend = new EventReceiver()) {
            String id = Http.json(subscribe(backend.url(), List.of("installation.completed", "installation.fallen_back",
                    "installation.refresh_token_refused", "installation.reinstall_required")))
                    .getJsonObject("subscription").getString("id");
            String advanced = Installs.withRefreshToken(env);
            wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.invalidGrant()); // Wix refuses the stored refresh token
            assertThat(Http.json(env.accessToken(advanced)).getString("source")).isEqualTo("client_credentials");
            assertThat(admin("POST", "installations/" + advanced + "/actions/mark-for-reinstall",
                    "{\"reason\":\"the owner asked\"}").statusCode()).isEqualTo(200);

            // An install whose refresh token the database refuses to store falls back to client credentials.
            String failing = wix.installApp();
            db.update("ALTER TABLE installation ADD CONSTRAINT relay_it_no_token CHECK (instance_id <> '" + failing
                    + "' OR refresh_token IS NULL)");
            try {
                Installs.attempt(env, failing);
            } finally {
                db.update("ALTER TABLE installation DROP CONSTRAINT relay_it_no_token");
            }

            assertThat(eventually(() -> typesFor(backend, advanced).size() >= 3 && !typesFor(backend, failing).isEmpty()))
                    .as("received %s", backend.received().stream().map(e -> payload(e).getString("type")).toList()).isTrue();
            assertThat(typesFor(backend, advanced)).containsExactly("installation.completed",
                    "installation.refresh_token_refused", "installation.reinstall_required");
            List<JsonObject> news = eventsFor(backend, advanced).stream().map(e -> payload(e).getJsonObject("data")).toList();
            assertThat(news.get(0).getString("mode")).isEqualTo("refresh_token");
            assertThat(news.get(1).getString("reason")).contains("REFRESH_TOKEN_REJECTED");
            assertThat(news.get(2).getString("reason")).contains("the owner asked");
            assertThat(news.get(2).getString("reinstallUrl")).startsWith("http").endsWith("/oauth/install");
            assertThat(typesFor(backend, failing)).as("no completion for a token that was not stored")
                    .containsExactly("installation.fallen_back");
            assertThat(payload(eventsFor(backend, failing).get(0)).getJsonObject("data").getString("reason")).isNotBlank();
            String refreshToken = wix.refreshTokenOf(advanced).orElseThrow();
            assertThat(backend.received()).as("no token in any event")
                    .allSatisfy(event -> assertThat(event.body()).doesNotContain(refreshToken));
            delete(id);
        }
    }

    @Test
    void anInstallationWhoseTokensWixRefusesIsReportedOnceHoweverManyCallersMeetIt() throws Exception {
        try (EventReceiver backend = new EventReceiver()) {
            String id = Http.json(subscribe(backend.url(), List.of("installation.token_failing")))
                    .getJsonObject("subscription").getString("id");
            String instance = UUID.randomUUID().toString();
            assertThat(webhook("AppInstalled", instance, appData())).isEqualTo(200);
            wix.failNext(Endpoint.CREATE_ACCESS_TOKEN, 3, Fault.status(403)); // permissions withdrawn, say

            for (int i = 0; i < 3; i++) {
                assertThat(env.accessToken(instance).statusCode()).as("the caller's answer").isEqualTo(502);
            }

            assertThat(eventually(() -> !typesFor(backend, instance).isEmpty())).isTrue();
            assertThat(throughout(() -> typesFor(backend, instance).size() == 1, Duration.ofMillis(1500)))
                    .as("one report, no second one within a dispatcher round or more").isTrue();
            assertThat(typesFor(backend, instance)).containsExactly("installation.token_failing");
            assertThat(payload(eventsFor(backend, instance).get(0)).getJsonObject("data").getString("reason"))
                    .contains("403");
            delete(id);
        }
    }

    @Test
    void operationsPauseRetryAndReplay() throws Exception {
        try (EventReceiver backend = new EventReceiver()) {
            String id = Http.json(subscribe(backend.url(), List.of("installation.completed")))
                    .getJsonObject("subscription").getString("id");
            Instant before = Instant.now();
            assertThat(admin("POST", "subscriptions/" + id + "/pause", "{\"reason\":\"receiver maintenance\"}")
                    .statusCode()).isEqualTo(200);
            String instance = UUID.randomUUID().toString();
            assertThat(webhook("AppInstalled", instance, appData())).isEqualTo(200);
            assertThat(throughout(() -> eventsFor(backend, instance).isEmpty(), Duration.ofMillis(1500)))
                    .as("nothing sent while paused (1.5 s: a dispatcher round or more)").isTrue();
            JsonObject paused = Http.json(admin("GET", "subscriptions/" + id, null));
            assertThat(paused.getString("state")).isEqualTo("PAUSED");
            assertThat(paused.getJsonObject("deliveries").getInt("PENDING")).isEqualTo(1);
            assertThat(paused.getString("oldestPendingAt")).isNotNull();

            assertThat(admin("POST", "subscriptions/" + id + "/resume", "{\"reason\":\"back\"}").statusCode()).isEqualTo(200);
            assertThat(eventually(() -> typesFor(backend, instance).size() == 1)).as("queued while paused, sent").isTrue();

            // The receiver has the event a moment before the service settles its delivery: wait for that.
            JsonObject delivery = eventually(() -> Http.jsonArray(admin("GET", "subscriptions/" + id + "/deliveries", null))
                    .getJsonObject(0), seen -> "DELIVERED".equals(seen.getString("state")), Duration.ofSeconds(10));
            HttpResponse<String> retried = admin("POST", "subscriptions/" + id + "/deliveries/" + delivery.getInt("id")
                    + "/retry", "{\"reason\":\"the receiver lost it\"}");
            assertThat(retried.statusCode()).as("a delivered one is not retried").isEqualTo(404);
            // As if the receiver had failed for three days: the delivery gave up.
            db.update("UPDATE relay_delivery SET state = 'FAILED', delivered_at = NULL WHERE id = ?", delivery.getInt("id"));
            assertThat(Http.jsonArray(admin("GET", "subscriptions/" + id + "/deliveries?state=failed", null))).hasSize(1);
            retried = admin("POST", "subscriptions/" + id + "/deliveries/" + delivery.getInt("id") + "/retry",
                    "{\"reason\":\"the receiver is back\"}");
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(eventually(() -> eventsFor(backend, instance).size() == 2)).as("retried by hand").isTrue();

            HttpResponse<String> replay = admin("POST", "subscriptions/" + id + "/replay?since=" + before,
                    "{\"reason\":\"the receiver lost its database\"}");
            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
            assertThat(Http.json(replay).getInt("queued")).isEqualTo(1);
            assertThat(eventually(() -> eventsFor(backend, instance).size() == 3)).as("sent again").isTrue();
            assertThat(eventsFor(backend, instance).stream().map(Relays::webhookId).distinct())
                    .as("the same webhook-id: a receiver drops what it had").hasSize(1);
            assertThat(admin("POST", "subscriptions/" + id + "/replay?since=yesterday", "{\"reason\":\"x\"}")
                    .statusCode()).isEqualTo(400);
            delete(id);
        }
    }

    @Test
    void subscriptionsAreManagedByOperationsOnlyWithClearErrorsAndRotatedSecretsOverlap() throws Exception {
        HttpResponse<String> bad = admin("POST", "subscriptions",
                "{\"url\":\"ftp://user@x\",\"eventTypes\":[\"ok.type\",\"no spaces\"],\"reason\":\"\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad).getString("error")).isEqualTo("invalid_request");
        assertThat(Http.json(bad).getString("error_description")).contains("url ").contains("eventTypes[1] ")
                .contains("reason ").doesNotContain("arg0").doesNotContain("subscribe.");
        for (String body : List.of("not json", "null", "{\"url\": 5, \"eventTypes\": \"*\", \"reason\": \"x\"}", "[]")) {
            HttpResponse<String> refused = admin("POST", "subscriptions", body);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(Http.json(refused).getString("error")).as(body).isEqualTo("invalid_request");
        }
        String fiftyLongTypes = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> "\"wix." + "T".repeat(90) + i + "\"").collect(java.util.stream.Collectors.joining(","));
        HttpResponse<String> tooMany = admin("POST", "subscriptions", "{\"url\":\"https://backend.example/events\","
                + "\"eventTypes\":[" + fiftyLongTypes + "],\"reason\":\"every type by name\"}");
        assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(400);
        assertThat(Http.json(tooMany).getString("error")).isEqualTo("invalid_request");
        assertThat(Http.json(tooMany).getString("error_description")).contains("eventTypes");
        assertThat(Http.jsonArray(admin("GET", "subscriptions", null)).toString()).as("nothing stored")
                .doesNotContain("ftp:").doesNotContain("backend.example");

        HttpResponse<String> viewer = Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/subscriptions"))
                .header("Authorization", "Bearer " + env.bearer("oauth-viewer")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://x.example\",\"eventTypes\":[\"*\"],"
                        + "\"reason\":\"r\"}")).build());
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(admin("GET", "subscriptions/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);
        assertThat(admin("POST", "subscriptions/" + UUID.randomUUID() + "/pause", "{\"reason\":\"r\"}").statusCode())
                .isEqualTo(404);

        try (EventReceiver backend = new EventReceiver()) {
            JsonObject created = Http.json(subscribe(backend.url(), List.of("installation.completed")));
            String id = created.getJsonObject("subscription").getString("id");
            String oldSecret = created.getString("secret");
            HttpResponse<String> rotated = admin("POST", "subscriptions/" + id + "/secret?overlap=PT1H",
                    "{\"reason\":\"yearly rotation\"}");
            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
            String newSecret = Http.json(rotated).getString("secret");
            assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);

            String instance = UUID.randomUUID().toString();
            assertThat(webhook("AppInstalled", instance, appData())).isEqualTo(200);
            assertThat(eventually(() -> !eventsFor(backend, instance).isEmpty())).isTrue();
            Received event = eventsFor(backend, instance).get(0);
            assertThat(event.headers().firstValue("webhook-signature").orElseThrow().split(" ")).hasSize(2);
            new Webhook(newSecret).verify(event.body(), event.headers().map());
            new Webhook(oldSecret).verify(event.body(), event.headers().map());

            assertThat(admin("POST", "subscriptions/" + id + "/pause", "{}").statusCode()).as("no reason").isEqualTo(400);
            assertThat(admin("GET", "subscriptions/" + id + "/deliveries?state=lost", null).statusCode()).isEqualTo(400);
            List<String> actions = db.query("SELECT action FROM audit_entry WHERE details LIKE ? ORDER BY seq",
                    "%" + id + "%").stream().map(row -> (String) row.get("action")).toList();
            assertThat(actions).containsExactly("relay.subscribe", "relay.rotate-secret");
            delete(id);
        }
    }

    // ---- helpers

    private HttpResponse<String> subscribe(URI url, List<String> types) {
        return Relays.subscribe(env.service(), url, types);
    }

    private void delete(String id) {
        assertThat(admin("DELETE", "subscriptions/" + id + "?reason=test+done", null).statusCode()).isEqualTo(204);
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(env.service().resolve("api/admin/" + path))
                .header("Authorization", "Bearer " + env.bearer("oauth-admin"));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return Http.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonObject appData() {
        return Json.createObjectBuilder().add("appId", wix.appId()).build();
    }

    private String signed(String eventType, String instanceId, Instant at) {
        return wix.webhooks().sign(eventType, instanceId, appData(), at);
    }

    private int webhook(String eventType, String instanceId, JsonObject data) {
        return wix.webhooks().post(env.webhookUrl(), wix.webhooks().sign(eventType, instanceId, data, Instant.now()));
    }

    private static boolean verifies(Webhook verifier, String body, Received original) {
        try {
            verifier.verify(body, original.headers().map());
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}

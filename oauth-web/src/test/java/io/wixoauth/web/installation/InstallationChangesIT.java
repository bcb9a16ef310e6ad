package io.wixoauth.web.installation;

import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every feature that changes an installation (import, webhooks, the handshake, operators' actions) goes through one
 * writer, and a backend's next read after the change gets a token of the installation as it is now: never the token
 * cached before the change, on any path.
 */
@ServiceIT
class InstallationChangesIT {

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();

    @Test
    void readsBeforeDuringAndAfterAnImportEndOnTheImportedRefreshToken() throws Exception {
        String migrating = UUID.randomUUID().toString();
        String refreshToken = wix.issueRefreshToken(migrating);
        JsonObject before = token(migrating);
        assertThat(before.getString("source")).as("not imported yet: served by client credentials")
                .isEqualTo("client_credentials");

        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 1500; i++) { // two batches, so reads go on while the job runs
            String other = UUID.randomUUID().toString();
            file.append(line(other, "OAUTH2.other-" + other)).append('\n');
        }
        file.append(line(migrating, refreshToken)).append('\n');
        AtomicBoolean importing = new AtomicBoolean(true);
        List<String> sourcesDuring = new ArrayList<>();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<?> reads = reader.submit(() -> {
                for (int i = 0; i < 2_000 && importing.get(); i++) {
                    HttpResponse<String> read = env.accessToken(migrating);
                    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
                    sourcesDuring.add(Http.json(read).getString("source"));
                }
            });
            awaitJob(started(upload(file.toString(), "reason=moving+in")));
            importing.set(false);
            reads.get();
        } finally {
            reader.shutdownNow();
        }

        JsonObject after = token(migrating);
        assertThat(after.getString("source")).as("served by the imported refresh token at once")
                .isEqualTo("refresh_token");
        assertThat(after.getString("access_token")).isNotEqualTo(before.getString("access_token"));
        assertThat(sourcesDuring).as("reads during the import").isNotEmpty().isSubsetOf("client_credentials", "refresh_token");
    }

    @Test
    void aChangeFromEveryEntryPointDropsTheCachedToken() {
        Map<String, Change> changes = new LinkedHashMap<>();
        changes.put("import storing a refresh token", new Change(installedByWebhook(),
                id -> awaitJob(started(upload(line(id, wix.issueRefreshToken(id)) + "\n", "reason=moving+in"))),
                "refresh_token"));
        changes.put("handshake over a client-credentials install", new Change(installedByWebhook(),
                id -> assertThat(Installs.attempt(env, id)).isEqualTo(302), "refresh_token"));
        changes.put("AppInstalled after AppRemoved", new Change(installedByWebhook(), id -> {
            assertThat(webhook("AppRemoved", id, Instant.now().minusSeconds(5))).isEqualTo(200);
            assertThat(env.accessToken(id).statusCode()).as("uninstalled: the cached token is not served").isEqualTo(410);
            assertThat(webhook("AppInstalled", id, Instant.now())).isEqualTo(200);
        }, "client_credentials"));
        changes.put("PaidPlanPurchased", new Change(installedByWebhook(),
                id -> assertThat(webhook("PaidPlanPurchased", id, Instant.now())).isEqualTo(200), "client_credentials"));
        changes.put("switch to client credentials", new Change(Installs.withRefreshToken(env),
                id -> act(id, "switch-to-client-credentials"), "client_credentials"));
        changes.put("forget the refresh token", new Change(Installs.withRefreshToken(env),
                id -> act(id, "forget-refresh-token"), "client_credentials"));
        changes.put("mark for reinstall", new Change(installedByWebhook(),
                id -> act(id, "mark-for-reinstall"), "client_credentials"));

        changes.forEach((entryPoint, change) -> {
            JsonObject before = token(change.instanceId());
            assertThat(token(change.instanceId())).as("%s: cached before the change", entryPoint).isEqualTo(before);

            change.apply().accept(change.instanceId());

            JsonObject after = token(change.instanceId());
            assertThat(after.getString("access_token")).as("%s: the token after the change", entryPoint)
                    .isNotEqualTo(before.getString("access_token"));
            assertThat(after.getString("source")).as(entryPoint).isEqualTo(change.sourceAfter());
        });
    }

    private record Change(String instanceId, Consumer<String> apply, String sourceAfter) {
    }

    private String installedByWebhook() {
        String id = wix.installApp();
        assertThat(webhook("AppInstalled", id, Instant.now().minusSeconds(30))).isEqualTo(200);
        return id;
    }

    private JsonObject token(String instanceId) {
        HttpResponse<String> answer = env.accessToken(instanceId);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Http.json(answer);
    }

    private void act(String instanceId, String action) {
        HttpResponse<String> answer = Http.send(HttpRequest.newBuilder(
                        env.service().resolve("api/admin/installations/" + instanceId + "/actions/" + action))
                .header("Authorization", "Bearer " + env.bearer("oauth-admin"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"ticket 7\"}")).build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private int webhook(String eventType, String instanceId, Instant at) {
        JsonObject data = eventType.startsWith("PaidPlan")
                ? Json.createObjectBuilder().add("vendorProductId", "premium").add("cycle", "YEARLY").build()
                : Json.createObjectBuilder().add("appId", wix.appId()).build();
        return wix.webhooks().post(env.webhookUrl(), wix.webhooks().sign(eventType, instanceId, data, at));
    }

    private static String line(String instanceId, String refreshToken) {
        return Json.createObjectBuilder().add("instanceId", instanceId).add("refreshToken", refreshToken).build().toString();
    }

    private HttpResponse<String> upload(String ndjson, String query) {
        return Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/imports?" + query))
                .header("Content-Type", "application/x-ndjson")
                .header("Authorization", "Bearer " + env.bearer("oauth-admin"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(ndjson.getBytes(StandardCharsets.UTF_8)))).build());
    }

    private static String started(HttpResponse<String> upload) {
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        return Http.json(upload).getJsonObject("job").getString("id");
    }

    private void awaitJob(String id) {
        JsonObject job = eventually(() -> Http.json(Http.get(env.service().resolve("api/admin/jobs/" + id),
                env.bearer("oauth-admin"))), seen -> !"RUNNING".equals(seen.getString("state")), Duration.ofSeconds(60));
        assertThat(job.getString("state")).as("job " + id).isEqualTo("DONE");
    }
}

package io.wixoauth.web.admin;

import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An existing app moves its install base in: an NDJSON file of installations and refresh tokens, streamed to the
 * service, checked line by line, applied by a background job. Tokens are sealed as they are read and never answered.
 */
@ServiceIT
class ImportIT {

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();
    private final ServiceDatabase db = env.database();

    @Test
    void aFileStreamedInBecomesInstallationsServedByTheirRefreshTokensAndBadLinesAreReportedByNumber() {
        List<String> ids = new ArrayList<>();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            file.append(line(id, wix.issueRefreshToken(id))).append('\n');
            if (i == 10) {
                file.append("{\"instanceId\":\"not-an-id\",\"refreshToken\":\"x\"}\n"); // line 12
                file.append("\n"); // line 13: blank, skipped
                file.append("{\"instanceId\":\"").append(UUID.randomUUID()).append("\"}\n"); // line 14: no token
                file.append("this is not json\n"); // line 15
                file.append("{\"pad\":\"").append("x".repeat(20_000)).append("\"}\n"); // line 16: too long
            }
        }
        file.append(line(ids.get(5), wix.refreshTokenOf(ids.get(5)).orElseThrow())).append('\n'); // again, same token

        HttpResponse<String> answer = upload(file.toString(), "reason=moving+in&replace=false");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        JsonObject report = Http.json(answer);
        assertThat(report.getInt("lines")).isEqualTo(255);
        assertThat(report.getInt("valid")).isEqualTo(251);
        assertThat(report.getInt("invalid")).isEqualTo(4);
        assertThat(report.getJsonArray("errors").stream().map(e -> e.asJsonObject().getInt("line")).toList())
                .containsExactly(12, 14, 15, 16);
        assertThat(answer.headers().firstValue("Location").orElseThrow())
                .endsWith("/api/admin/jobs/" + report.getJsonObject("job").getString("id"));

        JsonObject job = awaitJob(report.getJsonObject("job").getString("id"));
        assertThat(job.getInt("done")).isEqualTo(251);
        assertThat(job.getInt("errors")).isZero();
        assertThat(job.getString("detail")).isEqualTo("created 250, stored 0, replaced 0, kept 0, unchanged 1, uninstalled 0, refused 0");
        for (String id : List.of(ids.get(0), ids.get(11), ids.get(249))) {
            Map<String, Object> row = db.installation(id);
            assertThat(row.get("mode")).isEqualTo("REFRESH_TOKEN");
            assertThat((String) row.get("refresh_token")).startsWith("v1:").doesNotContain(wix.refreshTokenOf(id).orElseThrow());
        }
        HttpResponse<String> token = env.accessToken(ids.get(100));
        assertThat(Http.json(token).getString("source")).as(token.body()).isEqualTo("refresh_token");
        assertThat(count("import_line")).as("staged lines left").isZero();
    }

    @Test
    void importingTheSameFileTwiceChangesNothing() {
        String id = UUID.randomUUID().toString();
        String file = line(id, wix.issueRefreshToken(id)) + "\n";
        awaitJob(started(upload(file, "reason=first")));
        Map<String, Object> before = db.installation(id);

        JsonObject again = awaitJob(started(upload(file, "reason=again")));

        assertThat(again.getString("detail")).contains("unchanged 1").contains("created 0");
        assertThat(db.installation(id)).isEqualTo(before);
    }

    @Test
    void aStoredRefreshTokenIsKeptUnlessTheImportReplacesItAndEachReplacementIsAudited() {
        String id = Installs.withRefreshToken(env);
        Object stored = db.installation(id).get("refresh_token");
        String other = "OAUTH2.imported-" + UUID.randomUUID();

        JsonObject kept = awaitJob(started(upload(line(id, other) + "\n", "reason=keep")));
        assertThat(kept.getString("detail")).contains("kept 1");
        assertThat(db.installation(id).get("refresh_token")).isEqualTo(stored);

        JsonObject replaced = awaitJob(started(upload(line(id, other) + "\n", "reason=ticket+42&replace=true")));
        assertThat(replaced.getString("detail")).contains("replaced 1");
        assertThat(db.installation(id).get("refresh_token")).isNotEqualTo(stored);
        List<Map<String, Object>> audited = db.query(
                "SELECT actor, reason, outcome FROM audit_entry WHERE action = 'import.replaced' AND instance_id = ?", id);
        assertThat(audited).hasSize(1);
        assertThat(audited.get(0).get("reason")).isEqualTo("ticket 42");
    }

    @Test
    void anUninstalledInstallationIsNotRevivedAndAnInstallationWithoutATokenTakesTheImportedOne() {
        String removed = UUID.randomUUID().toString();
        String arrivedByWebhook = UUID.randomUUID().toString();
        wix.installApp(arrivedByWebhook);
        assertThat(webhook("AppInstalled", arrivedByWebhook, Instant.now().minusSeconds(60))).isEqualTo(200);
        assertThat(webhook("AppRemoved", removed, Instant.now().minusSeconds(30))).isEqualTo(200);

        JsonObject job = awaitJob(started(upload(line(removed, "OAUTH2.dead-" + UUID.randomUUID()) + "\n"
                + line(arrivedByWebhook, wix.issueRefreshToken(arrivedByWebhook)) + "\n", "reason=both")));

        assertThat(job.getString("detail")).contains("stored 1").contains("uninstalled 1");
        assertThat(db.installation(removed).get("state")).isEqualTo("UNINSTALLED");
        assertThat(db.installation(removed).get("refresh_token")).isNull();
        assertThat(db.installation(arrivedByWebhook).get("mode")).isEqualTo("REFRESH_TOKEN");
        assertThat(Http.json(env.accessToken(arrivedByWebhook)).getString("source")).isEqualTo("refresh_token");
    }

    @Test
    void withVerifyOnlyTokensWixAcceptsAreStoredAndTheOthersAskForAReinstall() {
        String good = UUID.randomUUID().toString();
        String forged = UUID.randomUUID().toString();
        String revoked = UUID.randomUUID().toString();
        String goodToken = wix.issueRefreshToken(good);
        wix.installApp(forged);
        String revokedToken = wix.issueRefreshToken(revoked);
        wix.revokeRefreshToken(revoked);
        int refreshesBefore = wix.calls(io.wixoauth.simulator.Endpoint.OAUTH_ACCESS);
        int tokenInfoBefore = wix.calls(io.wixoauth.simulator.Endpoint.TOKEN_INFO);

        JsonObject job = awaitJob(started(upload(line(good, goodToken) + "\n" + line(forged, "OAUTH2.forged-" + UUID.randomUUID())
                + "\n" + line(revoked, revokedToken) + "\n", "reason=verified&verify=true")));

        assertThat(job.getString("detail")).isEqualTo("created 1, stored 0, replaced 0, kept 0, unchanged 0, uninstalled 0, refused 2");
        assertThat(wix.calls(io.wixoauth.simulator.Endpoint.OAUTH_ACCESS) - refreshesBefore).as("one refresh a line").isEqualTo(3);
        assertThat(wix.calls(io.wixoauth.simulator.Endpoint.TOKEN_INFO) - tokenInfoBefore).as("Token Info for the accepted one")
                .isEqualTo(1);
        assertThat(db.installation(good).get("mode")).isEqualTo("REFRESH_TOKEN");
        assertThat(Http.json(env.accessToken(good)).getString("source")).isEqualTo("refresh_token");
        for (String refused : List.of(forged, revoked)) {
            Map<String, Object> row = db.installation(refused);
            assertThat(row.get("state")).as(refused).isEqualTo("REINSTALL_REQUESTED");
            assertThat(row.get("mode")).isEqualTo("CLIENT_CREDENTIALS_FALLBACK");
            assertThat(row.get("refresh_token")).as("no dead token stored").isNull();
        }
        assertThat(Http.json(env.accessToken(forged)).getString("source")).as("served meanwhile").isEqualTo("client_credentials");
    }

    @Test
    void aTokenWixRefusesForASiteThatHoldsItsOwnKeepsItsOwnAndAsksNobodyToReinstall() {
        String id = Installs.withRefreshToken(env);
        Object stored = db.installation(id).get("refresh_token");

        JsonObject job = awaitJob(started(upload(line(id, "OAUTH2.stale-" + UUID.randomUUID()) + "\n",
                "reason=verified&verify=true")));

        assertThat(job.getString("detail")).isEqualTo("created 0, stored 0, replaced 0, kept 1, unchanged 0, uninstalled 0, refused 0");
        Map<String, Object> row = db.installation(id);
        assertThat(row.get("state")).isEqualTo("INSTALLED");
        assertThat(row.get("refresh_token")).isEqualTo(stored);
        assertThat(db.query("SELECT id FROM relay_event WHERE type = 'installation.reinstall_required' AND instance_id = ?", id))
                .as("no reinstall asked of a site that is fine").isEmpty();
        assertThat(Http.json(env.accessToken(id)).getString("source")).isEqualTo("refresh_token");
    }

    @Test
    void aVerifyingImportHoldsNoLockWhileWixAnswersSoAWebhookMeanwhileIsNotKeptWaiting() {
        String id = wix.installApp();
        assertThat(webhook("AppInstalled", id, Instant.now().minusSeconds(60))).isEqualTo(200);
        String token = wix.issueRefreshToken(id);
        int refreshes = wix.calls(io.wixoauth.simulator.Endpoint.OAUTH_ACCESS);
        // Wix takes its time over both calls of the verification (each inside the 1 s read timeout): 1.8 s in all.
        wix.failNext(io.wixoauth.simulator.Endpoint.OAUTH_ACCESS, 1,
                io.wixoauth.simulator.Fault.delay(Duration.ofMillis(900)));
        wix.failNext(io.wixoauth.simulator.Endpoint.TOKEN_INFO, 1,
                io.wixoauth.simulator.Fault.delay(Duration.ofMillis(900)));

        String jobId = started(upload(line(id, token) + "\n", "reason=verified&verify=true"));
        eventually(() -> wix.calls(io.wixoauth.simulator.Endpoint.OAUTH_ACCESS) > refreshes, Duration.ofSeconds(10));
        // While Wix takes its time over the verification, the site is uninstalled: the webhook does not wait for the
        // import, and the import, applied after it, does not bring the site back.
        assertThat(webhook("AppRemoved", id, Instant.now())).isEqualTo(200);
        JsonObject job = awaitJob(jobId);

        assertThat(job.getString("detail")).as("applied after the removal").contains("uninstalled 1").contains("stored 0");
        assertThat(db.installation(id).get("state")).isEqualTo("UNINSTALLED");
        assertThat(db.installation(id).get("refresh_token")).isNull();
    }

    @Test
    void aDryRunChecksAndCountsAndWritesNothing() {
        String id = UUID.randomUUID().toString();
        long jobsBefore = count("background_job");

        HttpResponse<String> answer = upload(line(id, "OAUTH2.x") + "\nnot json\n", "reason=check&dryRun=true");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonObject report = Http.json(answer);
        assertThat(report.getBoolean("dryRun")).isTrue();
        assertThat(report.getInt("valid")).isEqualTo(1);
        assertThat(report.getInt("invalid")).isEqualTo(1);
        assertThat(report.get("job")).as("no job").isIn(null, jakarta.json.JsonValue.NULL);
        assertThat(db.query("SELECT * FROM installation WHERE instance_id = ?", id)).isEmpty();
        assertThat(count("background_job")).isEqualTo(jobsBefore);
        assertThat(count("import_line")).isZero();
    }

    @Test
    void badRequestsGetTheJsonErrorAndChangeNothing() {
        String id = UUID.randomUUID().toString();
        String token = "OAUTH2.secret-" + UUID.randomUUID();
        String file = line(id, token) + "\n";
        long jobsBefore = count("background_job");

        HttpResponse<String> noReason = upload(file, "dryRun=false");
        HttpResponse<String> onlyBadLines = upload("nope\n{\"instanceId\":\"" + id + "\"}\n", "reason=x");
        HttpResponse<String> empty = upload("", "reason=x");
        HttpResponse<String> json = Http.send(HttpRequest.newBuilder(imports("reason=x"))
                .header("Authorization", "Bearer " + env.bearer("oauth-admin")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(file)).build());

        for (HttpResponse<String> refused : List.of(noReason, onlyBadLines, empty)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(Http.json(refused).getString("error")).isEqualTo("invalid_request");
        }
        assertThat(Http.json(onlyBadLines).getString("error_description")).contains("line 1").contains("line 2");
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(Http.json(json).getString("error")).isNotBlank();
        assertThat(upload(file, "reason=x", "oauth-viewer").statusCode()).isEqualTo(403);
        assertThat(upload(file, "reason=x", "token-reader").statusCode()).isEqualTo(403);
        assertThat(upload(file, "reason=x", null).statusCode()).isEqualTo(401);
        for (HttpResponse<String> any : List.of(noReason, onlyBadLines, empty, json)) {
            assertThat(any.body()).doesNotContain(token);
        }
        assertThat(db.query("SELECT * FROM installation WHERE instance_id = ?", id)).isEmpty();
        assertThat(count("background_job")).isEqualTo(jobsBefore);
        assertThat(count("import_line")).isZero();
    }

    /**
     * An import names its app: its installations are recorded under it, and verified with that app's secret (Wix
     * confirms each token as that app's); an app the deployment does not serve is refused before anything is staged.
     */
    @Test
    void anImportOfAnotherAppRecordsItsInstallationsUnderThatApp() {
        String app = wix.addApp();
        HttpResponse<String> added = Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/apps"))
                .header("Authorization", "Bearer " + env.bearer("oauth-admin")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("appId", app)
                        .add("secret", wix.appSecret(app)).add("webhookPublicKeys", wix.webhooks(app).publicKeyPem())
                        .add("reason", "the shop app's install base").build().toString())).build());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        try {
            String first = wix.installAppFor(app);
            String second = wix.installAppFor(app);
            int calls = wix.authenticatedCalls(app);
            String file = line(first, wix.issueRefreshToken(first)) + "\n" + line(second, wix.issueRefreshToken(second));

            assertThat(upload(file, "reason=move&verify=true&appId=" + java.util.UUID.randomUUID()).statusCode())
                    .as("an app nobody added").isEqualTo(404);
            awaitJob(started(upload(file, "reason=move&verify=true&appId=" + app)));

            for (String instance : List.of(first, second)) {
                assertThat(db.installation(instance).get("app_id")).isEqualTo(app);
                assertThat(db.installation(instance).get("mode")).isEqualTo("REFRESH_TOKEN");
            }
            assertThat(wix.authenticatedCalls(app) - calls).as("verified with the app's own secret").isEqualTo(2);
        } finally {
            io.wixoauth.web.support.AddedApps.remove(env, app);
        }
    }

    private static String line(String instanceId, String refreshToken) {
        return Json.createObjectBuilder().add("instanceId", instanceId).add("refreshToken", refreshToken)
                .add("installedAt", "2024-03-01T10:00:00Z").build().toString();
    }

    private HttpResponse<String> upload(String ndjson, String query) {
        return upload(ndjson, query, "oauth-admin");
    }

    /** Sent without a length, in chunks, as a large file would be. */
    private HttpResponse<String> upload(String ndjson, String query, String group) {
        HttpRequest.Builder request = HttpRequest.newBuilder(imports(query))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(ndjson.getBytes(StandardCharsets.UTF_8))));
        if (group != null) {
            request.header("Authorization", "Bearer " + env.bearer(group));
        }
        return Http.send(request.build());
    }

    /** The id of the job an upload started; fails with the answer when it started none. */
    private static String started(HttpResponse<String> upload) {
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        return Http.json(upload).getJsonObject("job").getString("id");
    }

    private URI imports(String query) {
        return env.service().resolve("api/admin/imports?" + query);
    }

    private JsonObject awaitJob(String id) {
        JsonObject job = eventually(() -> Http.json(Http.get(env.service().resolve("api/admin/jobs/" + id),
                env.bearer("oauth-admin"))), seen -> !"RUNNING".equals(seen.getString("state")), Duration.ofSeconds(60));
        assertThat(job.getString("state")).as("job " + id + " after at most 60 s").isEqualTo("DONE");
        return job;
    }

    private int webhook(String eventType, String instanceId, Instant at) {
        return wix.webhooks().post(env.webhookUrl(), wix.webhooks().sign(eventType, instanceId,
                Json.createObjectBuilder().add("appId", wix.appId()).build(), at));
    }

    private long count(String table) {
        return ((Number) db.query("SELECT COUNT(*) AS n FROM " + table).get(0).get("n")).longValue();
    }

}

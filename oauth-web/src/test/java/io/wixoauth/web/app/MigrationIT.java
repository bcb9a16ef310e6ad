package io.wixoauth.web.app;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.KeyRing;
import io.wixoauth.persistence.crypto.TokenCipher;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import io.wixoauth.web.support.ServiceNodes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moving an app's install base off custom authentication (Wix deprecated it): 10,000 refresh-token installations of a
 * second app, proven one by one with client credentials and switched, one that Wix refuses left alone; a dry run first;
 * the job resumed by another node after the one running it is killed; a switch back; the grace period's end.
 */
@ServiceIT
class MigrationIT {

    private static final int INSTALLATIONS = 10_000;

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();
    private final ServiceDatabase db = env.database();

    @Test
    void tenThousandInstallationsMoveOffCustomAuthenticationSafely() throws Exception {
        String app = wix.addApp();
        assertThat(admin(env.service(), "POST", "apps", Json.createObjectBuilder().add("appId", app)
                .add("secret", wix.appSecret(app)).add("webhookPublicKeys", wix.webhooks().publicKeyPem())
                .add("reason", "the shop app moves here").build().toString()).statusCode()).isEqualTo(201);
        try {
            migrated(app);
        } finally {
            io.wixoauth.web.support.AddedApps.remove(env, app); // the deployment serves one app again, as the other tests expect of it
        }
    }

    private void migrated(String app) throws Exception {
        List<String> instances = refreshTokenInstallations(app);
        String refused = instances.get(INSTALLATIONS / 2);
        wix.uninstallApp(refused); // Wix no longer lists the app there; its removal never reached the service
        refusedRequests(app);

        JsonObject dryRun = finished(start(env.service(), app, true));
        assertThat(dryRun.getString("state")).isEqualTo("DONE");
        assertThat(dryRun.getJsonNumber("total").longValue()).isEqualTo(INSTALLATIONS);
        assertThat(dryRun.getJsonNumber("errors").longValue()).isEqualTo(1);
        assertThat(dryRun.getString("detail")).isEqualTo("app=" + app + " dryRun=true switched=9999 refused=1");
        assertThat(count(app, "mode = 'REFRESH_TOKEN'")).as("a dry run switches nothing").isEqualTo(INSTALLATIONS);

        JsonObject migration = resumedAfterItsNodeIsKilled(app);
        assertThat(migration.getString("state")).isEqualTo("DONE");
        assertThat(migration.getJsonNumber("done").longValue()).isEqualTo(INSTALLATIONS);
        assertThat(migration.getString("detail")).isEqualTo("app=" + app + " dryRun=false switched=9999 refused=1");
        assertThat(count(app, "mode = 'CLIENT_CREDENTIALS' AND refresh_token IS NOT NULL "
                + "AND refresh_token_kept_until > ?", Timestamp.from(Instant.now().plus(Duration.ofDays(29)))))
                .as("switched, their refresh tokens kept for 30 days").isEqualTo(INSTALLATIONS - 1);
        assertThat(db.installation(refused).get("mode")).as("the one Wix refused").isEqualTo("REFRESH_TOKEN");
        assertThat(db.installation(refused).get("refresh_token_kept_until")).isNull();
        assertThat(eventually(() -> !db.query("SELECT outcome FROM audit_entry WHERE action = 'migration.refused' "
                + "AND instance_id = ?", refused).isEmpty(), Duration.ofSeconds(5))).as("reported").isTrue();

        String moved = instances.get(0);
        assertThat(source(moved)).as("a moved installation is served by client credentials").isEqualTo("client_credentials");
        assertThat(act(moved, "switch-back-to-refresh-token").getString("outcome")).isEqualTo("done");
        assertThat(db.installation(moved).get("mode")).isEqualTo("REFRESH_TOKEN");
        assertThat(source(moved)).as("switched back").isEqualTo("refresh_token");

        List<String> pastGrace = instances.subList(1, 101);
        db.update("UPDATE installation SET refresh_token_kept_until = ? WHERE instance_id IN ("
                + String.join(",", pastGrace.stream().map(id -> "'" + id + "'").toList()) + ")",
                Timestamp.from(Instant.now().minusSeconds(60)));
        assertThat(keptRefreshTokensPastGrace()).isEqualTo(100);
        HttpResponse<String> purge = admin(env.service(), "POST", "jobs/retention", "{\"reason\":\"30 days later\"}");
        assertThat(purge.statusCode()).isEqualTo(202);
        assertThat(awaitJob(env.service(), Http.json(purge).getString("id"), job -> "DONE".equals(job.getString("state")))
                .getString("detail")).contains("keptRefreshTokens=100");
        assertThat(count(app, "refresh_token IS NULL AND refresh_token_kept_until IS NULL AND mode = 'CLIENT_CREDENTIALS'"))
                .as("forgotten at the grace period's end").isEqualTo(100);
        assertThat(count(app, "refresh_token IS NOT NULL AND refresh_token_kept_until IS NOT NULL"))
                .as("still kept").isEqualTo(INSTALLATIONS - 1 - 1 - 100);
        assertThat(act(pastGrace.get(0), "switch-back-to-refresh-token").getString("outcome"))
                .startsWith("no refresh token is kept");
        assertThat(source(pastGrace.get(0))).isEqualTo("client_credentials");
    }

    /** What an operator gets wrong is refused with a clear error, and starts nothing. */
    private void refusedRequests(String app) {
        assertThat(admin(env.service(), "POST", "jobs/migrate-to-client-credentials",
                "{\"appId\":\"" + java.util.UUID.randomUUID() + "\",\"reason\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(admin(env.service(), "POST", "jobs/migrate-to-client-credentials",
                "{\"appId\":\"" + app + "\"}").statusCode()).as("no reason").isEqualTo(400);
        assertThat(admin(env.service(), "POST", "jobs/migrate-to-client-credentials",
                "{\"appId\":\"my app\",\"reason\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/jobs/migrate-to-client-credentials"))
                .header("Authorization", "Bearer " + env.bearer("oauth-viewer")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"appId\":\"" + app + "\",\"reason\":\"x\"}")).build())
                .statusCode()).isEqualTo(403);
    }

    /**
     * Started on a node of its own, which is killed once the job is under way; the service's other node finishes it,
     * each installation switched once (a batch is one transaction with the job's progress).
     */
    private JsonObject resumedAfterItsNodeIsKilled(String app) throws Exception {
        Properties config = ServiceNodes.config();
        // Slow enough that the job is still running when its node is killed: 20 ms more per call to Wix.
        wix.failNext(Endpoint.CREATE_ACCESS_TOKEN, INSTALLATIONS, Fault.delay(Duration.ofMillis(20)));
        String jobId;
        try (PayaraMicroProcess node = ServiceNodes.start(ServiceNodes.itDir().resolve("migration-node"),
                ServiceNodes.freePort(), config)) {
            jobId = start(node.baseUrl(), app, false);
            JsonObject underWay = awaitJob(env.service(), jobId, job -> job.getJsonNumber("done").longValue() >= 1000);
            node.kill();
            assertThat(underWay.getString("state")).as("killed while the job ran").isEqualTo("RUNNING");
        }
        JsonObject finished = finished(jobId);
        wix.clearFaults();
        return finished;
    }

    private List<String> refreshTokenInstallations(String app) {
        Properties config = ServiceNodes.config();
        TokenCipher cipher = new TokenCipher(KeyRing.parse(config.getProperty("oauth.token-encryption-keys"),
                config.getProperty("oauth.token-encryption-active-key")));
        Timestamp now = Timestamp.from(Instant.now());
        List<String> instances = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < INSTALLATIONS; i++) {
            String instanceId = wix.installAppFor(app);
            String sealed = cipher.seal(InstanceId.of(instanceId), Secret.of(wix.issueRefreshToken(instanceId)));
            instances.add(instanceId);
            rows.add(new Object[]{instanceId, app, sealed, now, now, now});
        }
        db.batch("INSERT INTO installation (instance_id, app_id, mode, state, refresh_token, created_at, updated_at, "
                + "installed_at, version) VALUES (?, ?, 'REFRESH_TOKEN', 'INSTALLED', ?, ?, ?, ?, 1)", rows);
        return instances.stream().sorted().toList();
    }

    private String start(URI node, String app, boolean dryRun) {
        HttpResponse<String> started = admin(node, "POST", "jobs/migrate-to-client-credentials", Json.createObjectBuilder()
                .add("appId", app).add("dryRun", dryRun).add("reason", "Wix deprecated custom authentication").build()
                .toString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return Http.json(started).getString("id");
    }

    private JsonObject finished(String jobId) {
        return awaitJob(env.service(), jobId, job -> !"RUNNING".equals(job.getString("state")));
    }

    private JsonObject awaitJob(URI node, String jobId, Predicate<JsonObject> until) {
        JsonObject job = eventually(() -> Http.json(Http.get(node.resolve("/api/admin/jobs/" + jobId),
                env.bearer("oauth-viewer"))), until, Duration.ofSeconds(180));
        assertThat(until.test(job)).as("job " + jobId + ": " + job).isTrue();
        return job;
    }

    private long keptRefreshTokensPastGrace() {
        return Http.json(Http.get(env.service().resolve("api/admin/retention"), env.bearer("oauth-admin")))
                .getJsonArray("kinds").stream().map(k -> k.asJsonObject())
                .filter(k -> k.getString("kind").equals("keptRefreshTokens")).findFirst().orElseThrow()
                .getJsonNumber("count").longValue();
    }

    private String source(String instanceId) {
        HttpResponse<String> token = env.accessToken(instanceId);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return Http.json(token).getString("source");
    }

    private JsonObject act(String instanceId, String action) {
        HttpResponse<String> done = admin(env.service(), "POST", "installations/" + instanceId + "/actions/" + action,
                "{\"reason\":\"the site owner asked\"}");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        return Http.json(done);
    }

    private long count(String app, String condition, Object... parameters) {
        Object[] all = new Object[parameters.length + 1];
        all[0] = app;
        System.arraycopy(parameters, 0, all, 1, parameters.length);
        return ((Number) db.query("SELECT COUNT(*) AS n FROM installation WHERE app_id = ? AND " + condition, all)
                .get(0).get("n")).longValue();
    }

    private HttpResponse<String> admin(URI node, String method, String path, String body) {
        return Http.send(HttpRequest.newBuilder(node.resolve("/api/admin/" + path))
                .header("Authorization", "Bearer " + env.bearer("oauth-admin")).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }
}

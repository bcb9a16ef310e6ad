package io.wixoauth.web.faults;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.KeyRing;
import io.wixoauth.persistence.crypto.TokenCipher;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.Browser;
import io.wixoauth.web.support.Deployments;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database going away (issue 5, fault injection): every connection the service has is dropped and new ones are
 * refused, during a refresh, during the install callback and during a re-encryption batch. No refresh token is lost
 * or corrupted, callers get a clear 503 meanwhile, and the service recovers by itself when the database returns.
 */
@ServiceIT
class DatabaseFaultsIT {

    private static ServiceEnvironment.KeyRotation rotation;

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final ServiceDatabase db = env.database();
    private final WixSimulator wix = env.wix();

    /** Starts with a rotated key ring, so the re-encryption job has work to do. */
    @Deployment(testable = false)
    static WebArchive service() {
        rotation = ServiceEnvironment.get().rotateTokenEncryptionKey();
        return Deployments.builtWar();
    }

    @AfterEach
    void databaseBack() {
        db.restore();
        wix.clearFaults();
    }

    @Test
    void aRefreshDuringAnOutageIsAnswered503AndTheStoredTokenSurvivesIt() throws Exception {
        String advanced = Installs.withRefreshToken(env);
        Object ciphertext = db.installation(advanced).get("refresh_token");
        String cached = wix.installApp();
        assertThat(env.accessToken(cached).statusCode()).isEqualTo(200);
        Thread.sleep(5500); // the advanced installation's access token is stale: serving it needs the database

        db.cutOff();
        HttpResponse<String> during = env.accessToken(advanced);

        assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
        assertThat(during.headers().firstValue("Retry-After")).isPresent();
        assertThat(Http.json(during).getString("error")).isEqualTo("temporarily_unavailable");
        assertThat(during.body()).doesNotContainIgnoringCase("exception").doesNotContain("SQL");
        assertThat(env.accessToken(cached).statusCode()).as("a cached token is still served").isEqualTo(200);

        db.restore();
        assertThat(eventually(() -> env.accessToken(advanced).statusCode() == 200)).as("recovers by itself").isTrue();
        assertThat(Http.json(env.accessToken(advanced)).getString("source")).isEqualTo("refresh_token");
        assertThat(db.installation(advanced)).containsEntry("refresh_token", ciphertext).containsEntry("mode", "REFRESH_TOKEN");
    }

    @Test
    void aCallbackThatMeetsAnOutageKeepsItsRefreshTokenAndStoresItWhenTheDatabaseReturns() throws Exception {
        String instanceId = wix.installApp();
        Browser browser = new Browser();
        URI consent = Browser.location(browser.get(env.service().resolve("oauth/install?token=" + wix.newInstallToken(instanceId))));
        URI callback = Browser.location(browser.approve(consent));
        wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.delay(Duration.ofMillis(900))); // slow, inside the 1 s read timeout

        CompletableFuture<HttpResponse<String>> answered = CompletableFuture.supplyAsync(() -> browser.get(callback));
        Thread.sleep(400); // the service has checked the state and is waiting for Wix
        db.cutOff();
        HttpResponse<String> page = answered.get();

        assertThat(page.statusCode()).as("never the close-window redirect for a token not stored").isEqualTo(503);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("try again").doesNotContainIgnoringCase("exception");
        Map<String, Object> meanwhile = db.installation(instanceId);
        assertThat(meanwhile).as("what operations see meanwhile: the install started, nothing half-written")
                .containsEntry("mode", "CLIENT_CREDENTIALS_FALLBACK").containsEntry("refresh_token", null);
        assertThat((String) meanwhile.get("failure_reason")).startsWith("INSTALL_INTERRUPTED");

        db.restore();
        assertThat(eventually(() -> "REFRESH_TOKEN".equals(db.installation(instanceId).get("mode"))))
                .as("the kept refresh token is stored once the database is back").isTrue();
        HttpResponse<String> token = env.accessToken(instanceId);
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(Http.json(token).getString("source")).isEqualTo("refresh_token");
    }

    @Test
    void aReencryptionJobCutOffMidwayFinishesWhenTheDatabaseReturnsAndEveryTokenStillOpens() throws Exception {
        TokenCipher oldKey = new TokenCipher(KeyRing.parse(rotation.oldEntry(), rotation.oldKeyId()));
        Map<String, String> tokens = seedUnderTheOldKey(oldKey, 1500);

        JsonObject started = Http.json(post("jobs/reencryption", "{\"reason\":\"rotation during a fault test\"}"));
        String jobId = started.getString("id");
        assertThat(eventually(() -> job(jobId).getJsonNumber("done").longValue() >= 100)).isTrue();
        db.cutOff();
        Thread.sleep(3000);
        long doneDuringOutage = Long.parseLong(String.valueOf(
                db.query("SELECT done FROM background_job WHERE id = ?", jobId).get(0).get("done")));
        db.restore();

        assertThat(eventually(() -> "DONE".equals(job(jobId).getString("state")), Duration.ofSeconds(90))).isTrue();
        JsonObject done = job(jobId);
        assertThat(done.getJsonNumber("done").longValue()).isEqualTo(done.getJsonNumber("total").longValue());
        assertThat(doneDuringOutage).as("the cut came mid-job").isLessThan(done.getJsonNumber("total").longValue());
        TokenCipher everyKey = new TokenCipher(KeyRing.parse(rotation.oldEntry() + "," + rotation.newEntry(), rotation.newKeyId()));
        for (Map.Entry<String, String> seeded : tokens.entrySet()) {
            String stored = (String) db.installation(seeded.getKey()).get("refresh_token");
            assertThat(stored).startsWith("v1:" + rotation.newKeyId() + ":" + seeded.getKey() + ":");
            assertThat(everyKey.open(stored).tokenFor(InstanceId.of(seeded.getKey())).orElseThrow().reveal())
                    .as("not corrupted").isEqualTo(seeded.getValue());
        }
        // The seeded rows would only slow down the ITs that run after this one (a bulk refresh walks them all).
        tokens.keySet().forEach(id -> db.update("DELETE FROM installation WHERE instance_id = ?", id));
    }

    /** Installations as an older release left them: refresh tokens sealed under the key that is no longer active. */
    private Map<String, String> seedUnderTheOldKey(TokenCipher oldKey, int count) {
        Map<String, String> tokens = new LinkedHashMap<>();
        Timestamp now = Timestamp.from(Instant.now());
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            String token = wix.issueRefreshToken(id); // a token Wix knows: the installation is a real one
            tokens.put(id, token);
            db.update("INSERT INTO installation (instance_id, app_id, mode, state, created_at, updated_at, version, "
                    + "refresh_token, installed_at) VALUES (?, ?, 'REFRESH_TOKEN', 'INSTALLED', ?, ?, 1, ?, ?)",
                    id, wix.appId(), now, now, oldKey.seal(InstanceId.of(id), Secret.of(token)), now);
        }
        return tokens;
    }

    private JsonObject job(String id) {
        return Http.json(Http.get(env.service().resolve("api/admin/jobs/" + id), env.bearer("oauth-viewer")));
    }

    private HttpResponse<String> post(String path, String body) {
        return Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/" + path))
                .header("Authorization", "Bearer " + env.bearer("oauth-admin"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}

package io.wixoauth.web.admin;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.KeyRing;
import io.wixoauth.persistence.crypto.TokenCipher;
import com.standardwebhooks.Webhook;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import io.wixoauth.web.support.Deployments;
import io.wixoauth.web.support.EventReceiver;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import io.wixoauth.web.support.ServiceNodes;
import io.wixoauth.web.support.Relays;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key rotation as an operator does it: a new active key next to the old one, then the online
 * re-encryption job, after which no installation's token is under the old key and every one still works.
 */
@ServiceIT
class KeyRotationIT {

    private static ServiceEnvironment.KeyRotation rotation;

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final ServiceDatabase db = env.database();

    /** Runs before this class's Payara starts: it starts with the rotated key ring. */
    @Deployment(testable = false)
    static WebArchive service() {
        rotation = ServiceEnvironment.get().rotateTokenEncryptionKey();
        return Deployments.builtWar();
    }

    @Test
    void theReencryptionJobMovesEveryTokenToTheActiveKeyWhileTokensKeepBeingServed() {
        TokenCipher oldCipher = new TokenCipher(KeyRing.parse(rotation.oldEntry(), rotation.oldKeyId()));
        List<String> legacy = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = Installs.withRefreshToken(env);
            String sealedUnderK1 = oldCipher.seal(InstanceId.of(id), Secret.of(env.wix().refreshTokenOf(id).orElseThrow()));
            db.update("UPDATE installation SET refresh_token = ? WHERE instance_id = ?", sealedUnderK1, id);
            legacy.add(id);
        }
        String broken = Installs.withRefreshToken(env);
        db.update("UPDATE installation SET refresh_token = ? WHERE instance_id = ?",
                "v1:" + rotation.oldKeyId() + ":" + broken + ":AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", broken);
        assertThat(tokenSource(legacy.get(0))).as("the old key still reads").isEqualTo("refresh_token");

        HttpResponse<String> started = post("jobs/reencryption", "{\"reason\":\"yearly key rotation\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        String jobId = Http.json(started).getString("id");
        JsonObject job = awaitDone(jobId);

        assertThat(job.getString("state")).isEqualTo("DONE");
        assertThat(job.getJsonNumber("done").longValue()).isEqualTo(job.getJsonNumber("total").longValue());
        assertThat(job.getJsonNumber("errors").longValue()).as("the unreadable row, left for an operator").isPositive();
        for (String id : legacy) {
            assertThat((String) db.installation(id).get("refresh_token")).startsWith("v1:" + rotation.newKeyId() + ":" + id + ":");
            assertThat(tokenSource(id)).isEqualTo("refresh_token");
        }
        assertThat((String) db.installation(broken).get("refresh_token")).as("evidence kept").startsWith("v1:" + rotation.oldKeyId() + ":");
        assertThat(Http.jsonArray(Http.get(admin("audit?action=job.reencryption.completed&cursor=0"),
                env.bearer("oauth-auditor")))).isNotEmpty();
        assertThat(post("jobs/reencryption", "{}").statusCode()).as("a reason is required").isEqualTo(400);
        assertThat(Http.get(admin("jobs/" + UUID.randomUUID()), env.bearer("oauth-viewer")).statusCode()).isEqualTo(404);
        assertThat(Http.jsonArray(Http.get(admin("jobs?limit=10"), env.bearer("oauth-viewer"))))
                .as("the newest jobs, for the console's list").anySatisfy(listed -> {
                    assertThat(listed.asJsonObject().getString("id")).isEqualTo(jobId);
                    assertThat(listed.asJsonObject().getString("state")).isEqualTo("DONE");
                });
        assertThat(Http.get(admin("jobs?limit=0"), env.bearer("oauth-viewer")).statusCode()).isEqualTo(400);
    }

    @Test
    void theOldKeyCanGoOnlyOnceNothingIsSealedUnderItAndThenEventsAreStillSigned() throws Exception {
        TokenCipher bothKeys = new TokenCipher(KeyRing.parse(rotation.oldEntry() + "," + rotation.newEntry(),
                rotation.oldKeyId()));
        Properties withoutTheOldKey = ServiceNodes.config();
        withoutTheOldKey.setProperty("oauth.token-encryption-keys", rotation.newEntry());
        withoutTheOldKey.setProperty("oauth.token-encryption-active-key", rotation.newKeyId());
        try (EventReceiver backend = new EventReceiver()) {
            HttpResponse<String> created = Relays.subscribe(env.service(), backend.url(), List.of("*"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = Http.json(created).getJsonObject("subscription").getString("id");
            String secret = Http.json(created).getString("secret");
            // A subscription from before the rotation: its secret sealed under the old key.
            String stored = (String) db.query("SELECT secret FROM relay_subscription WHERE id = ?", id).get(0).get("secret");
            Secret opened = bothKeys.open(stored).tokenFor(InstanceId.of(id)).orElseThrow();
            db.update("UPDATE relay_subscription SET secret = ? WHERE id = ?", bothKeys.seal(InstanceId.of(id), opened), id);

            String refusal = ServiceNodes.refusedStart(ServiceNodes.itDir().resolve("rotation-refused"),
                    ServiceNodes.freePort(), withoutTheOldKey, "no longer holds a key");
            assertThat(refusal).contains("oauth.token-encryption-keys").contains("subscription secrets")
                    .contains("(key ").doesNotContain("(key " + rotation.newKeyId() + ")");

            HttpResponse<String> started = post("jobs/reencryption", "{\"reason\":\"the old key goes\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            awaitDone(Http.json(started).getString("id"));
            assertThat((String) db.query("SELECT secret FROM relay_subscription WHERE id = ?", id).get(0).get("secret"))
                    .startsWith("v1:" + rotation.newKeyId() + ":" + id + ":");
            // What the job could not open is the operator's to forget, as start-up says.
            for (Map<String, Object> row : db.query("SELECT instance_id FROM installation WHERE refresh_token IS NOT NULL "
                    + "AND refresh_token NOT LIKE ?", "v1:" + rotation.newKeyId() + ":%")) {
                assertThat(post("installations/" + row.get("instance_id") + "/actions/forget-refresh-token",
                        "{\"reason\":\"unreadable after the rotation\"}").statusCode()).isEqualTo(200);
            }

            int port = ServiceNodes.freePort();
            try (PayaraMicroProcess node = ServiceNodes.start(ServiceNodes.itDir().resolve("rotation-done"), port,
                    withoutTheOldKey)) {
                String instance = UUID.randomUUID().toString();
                assertThat(env.wix().webhooks().post(node.baseUrl().resolve("/webhooks/wix"), env.wix().webhooks()
                        .sign("AppInstalled", instance, Json.createObjectBuilder().add("appId", env.wix().appId()).build(),
                                Instant.now()))).isEqualTo(200);

                assertThat(eventually(() -> !Relays.eventsFor(backend, instance).isEmpty(), Duration.ofSeconds(30)))
                        .as("an event delivered after the old key left").isTrue();
                new Webhook(secret).verify(Relays.eventsFor(backend, instance).get(0).body(),
                        Relays.eventsFor(backend, instance).get(0).headers().map()); // the same secret signs
            }
        }
    }

    private JsonObject awaitDone(String jobId) {
        return eventually(() -> Http.json(Http.get(admin("jobs/" + jobId), env.bearer("oauth-viewer"))),
                job -> "DONE".equals(job.getString("state")), Duration.ofSeconds(60));
    }

    private String tokenSource(String instanceId) {
        return Http.json(Http.get(env.service().resolve("api/v1/instances/" + instanceId + "/access-token"),
                env.bearer("token-reader"))).getString("source");
    }

    private HttpResponse<String> post(String path, String body) {
        return Http.send(HttpRequest.newBuilder(admin(path)).header("Authorization", "Bearer " + env.bearer("oauth-admin"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private URI admin(String path) {
        return env.service().resolve("api/admin/" + path);
    }
}

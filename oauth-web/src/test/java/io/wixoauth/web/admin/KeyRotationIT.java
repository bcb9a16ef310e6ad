package io.wixoauth.web.admin;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.KeyRing;
import io.wixoauth.persistence.crypto.TokenCipher;
import io.wixoauth.web.support.Deployments;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
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

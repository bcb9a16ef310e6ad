package io.wixoauth.web.webhook;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.wixoauth.simulator.WebhookSigner;
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

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Wix's webhooks (protocol section 6): only genuine ones count, and each counts once, in the right order. */
@ServiceIT
class WebhookIT {

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();
    private final WebhookSigner signer = wix.webhooks();
    private final ServiceDatabase db = env.database();

    @Test
    void appInstalledCreatesAClientCredentialsInstallationOnceAndRecordsACloneOrigin() {
        String instanceId = UUID.randomUUID().toString();
        String origin = UUID.randomUUID().toString();
        String webhook = signer.sign("AppInstalled", instanceId, data("appId", wix.appId(), "originInstanceId", origin), Instant.now());

        assertThat(signer.post(env.webhookUrl(), webhook)).isEqualTo(200);
        Map<String, Object> first = db.installation(instanceId);
        assertThat(signer.post(env.webhookUrl(), webhook)).as("a duplicate is accepted").isEqualTo(200);

        assertThat(first).containsEntry("mode", "CLIENT_CREDENTIALS").containsEntry("origin_instance_id", origin);
        assertThat(db.installation(instanceId)).as("and changes nothing").isEqualTo(first);
    }

    @Test
    void appRemovedDestroysTheRefreshTokenAndTheTokenApiAnswersGone() {
        String instanceId = Installs.withRefreshToken(env);
        assertThat(getToken(instanceId).statusCode()).isEqualTo(200);

        // Wix's event times have whole seconds; a removal is a second or more after the install it undoes.
        assertThat(signer.post(env.webhookUrl(), signer.sign("AppRemoved", instanceId, data("appId", wix.appId()),
                Instant.now().plusSeconds(1)))).isEqualTo(200);

        assertThat(db.installation(instanceId)).containsEntry("state", "UNINSTALLED").containsEntry("refresh_token", null);
        HttpResponse<String> gone = getToken(instanceId);
        assertThat(gone.statusCode()).as("the cached token was evicted too").isEqualTo(410);
        assertThat(Http.json(gone).getString("error")).isEqualTo("installation_gone");
    }

    @Test
    void aLateAppRemovedDoesNotUndoANewerInstall() {
        Instant beforeInstall = Instant.now().minusSeconds(60);
        String instanceId = Installs.withRefreshToken(env);

        signer.post(env.webhookUrl(), signer.sign("AppRemoved", instanceId, data("appId", wix.appId()), beforeInstall));

        assertThat(db.installation(instanceId)).containsEntry("state", "INSTALLED").containsEntry("mode", "REFRESH_TOKEN");
        assertThat(db.installation(instanceId).get("refresh_token")).isNotNull();
    }

    @Test
    void aReinstallAfterARemovalComesBackOnClientCredentialsAndAnOlderInstallEventChangesNothing() {
        String instanceId = UUID.randomUUID().toString();
        Instant t0 = Instant.now().minusSeconds(30);
        signer.post(env.webhookUrl(), signer.sign("AppInstalled", instanceId, data("appId", wix.appId()), t0));
        signer.post(env.webhookUrl(), signer.sign("AppRemoved", instanceId, data("appId", wix.appId()), t0.plusSeconds(10)));
        signer.post(env.webhookUrl(), signer.sign("AppInstalled", instanceId, data("appId", wix.appId()), t0.plusSeconds(5)));
        assertThat(db.installation(instanceId)).as("an install older than the removal").containsEntry("state", "UNINSTALLED");

        signer.post(env.webhookUrl(), signer.sign("AppInstalled", instanceId, data("appId", wix.appId()), t0.plusSeconds(20)));

        assertThat(db.installation(instanceId)).containsEntry("state", "INSTALLED").containsEntry("mode", "CLIENT_CREDENTIALS");
    }

    @Test
    void aWebhookDatedAheadOfTheServersClockIsRefusedSoItCannotUndoALaterReinstall() {
        String instanceId = Installs.withRefreshToken(env);
        Map<String, Object> before = db.installation(instanceId);

        for (long secondsAhead : new long[]{30, 3600, 10L * 365 * 24 * 3600}) {
            HttpResponse<String> response = post(signer.sign("AppRemoved", instanceId, data("appId", wix.appId()),
                    Instant.now().plusSeconds(secondsAhead)));
            assertThat(response.statusCode()).as(secondsAhead + " s ahead").isEqualTo(401);
        }

        assertThat(db.installation(instanceId)).as("still installed, refresh token kept").isEqualTo(before);
        assertThat(getToken(instanceId).statusCode()).isEqualTo(200);
    }

    @Test
    void aRemovalOfAnUnrecordedInstanceIsRememberedSoAnOlderInstallDeliveredLaterCannotReviveIt() {
        String instanceId = UUID.randomUUID().toString();
        Instant removedAt = Instant.now().minusSeconds(5);

        assertThat(signer.post(env.webhookUrl(), signer.sign("AppRemoved", instanceId, data("appId", wix.appId()), removedAt)))
                .isEqualTo(200);
        assertThat(signer.post(env.webhookUrl(), signer.sign("AppInstalled", instanceId, data("appId", wix.appId()),
                removedAt.minusSeconds(10)))).isEqualTo(200);

        assertThat(db.installation(instanceId)).containsEntry("state", "UNINSTALLED");
        assertThat(getToken(instanceId).statusCode()).isEqualTo(410);
    }

    @Test
    void aWebhookForAnotherAppOrWithAnOverlongOriginIsRefusedWithA400AndChangesNothing() {
        String installed = UUID.randomUUID().toString();
        signer.post(env.webhookUrl(), signer.sign("AppInstalled", installed, data("appId", wix.appId()),
                Instant.now().minusSeconds(20)));
        Map<String, Object> before = db.installation(installed);
        String fresh = UUID.randomUUID().toString();
        String otherApp = UUID.randomUUID().toString();

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("removal for another app", signer.sign("AppRemoved", installed, data("appId", otherApp), Instant.now()));
        refused.put("install for another app", signer.sign("AppInstalled", fresh, data("appId", otherApp), Instant.now()));
        refused.put("origin of 37 characters", signer.sign("AppInstalled", fresh,
                data("appId", wix.appId(), "originInstanceId", UUID.randomUUID() + "0"), Instant.now()));
        refused.put("origin of 5000 characters", signer.sign("AppInstalled", fresh,
                data("appId", wix.appId(), "originInstanceId", "x".repeat(5000)), Instant.now()));

        refused.forEach((what, body) -> {
            HttpResponse<String> response = post(body);
            assertThat(response.statusCode()).as(what).isEqualTo(400);
            assertThat(Http.json(response).getString("error")).as(what).isEqualTo("invalid_request");
            assertThat(post(body).statusCode()).as(what + ", retried as Wix does").isEqualTo(400);
        });
        assertThat(db.installation(installed)).isEqualTo(before);
        assertThat(db.installation(fresh)).isEmpty();
    }

    @Test
    void paidPlanEventsAreRecorded() {
        String instanceId = UUID.randomUUID().toString();
        signer.post(env.webhookUrl(), signer.sign("AppInstalled", instanceId, data("appId", wix.appId()), Instant.now()));

        signer.post(env.webhookUrl(), signer.sign("PaidPlanPurchased", instanceId,
                data("vendorProductId", "premium", "cycle", "YEARLY"), Instant.now()));

        assertThat((String) db.installation(instanceId).get("paid_plan")).startsWith("PaidPlanPurchased premium YEARLY");
    }

    @Test
    void forgedMalformedAndOversizedWebhooksAreRefusedWithoutDetailAndChangeNothing() throws Exception {
        String instanceId = UUID.randomUUID().toString();
        String genuine = signer.sign("AppInstalled", instanceId, data("appId", wix.appId()), Instant.now());
        JWTClaimsSet claims = SignedJWT.parse(genuine).getJWTClaimsSet();
        String[] parts = genuine.split("\\.");
        byte[] publicKeyAsSecret = signer.publicKeyPem().getBytes(StandardCharsets.UTF_8);
        SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hs256.sign(new MACSigner(publicKeyAsSecret));

        Map<String, String> forgeries = new LinkedHashMap<>();
        forgeries.put("alg none", Base64URL.encode("{\"alg\":\"none\"}") + "." + parts[1] + ".");
        forgeries.put("HS256 keyed with the public key", hs256.serialize());
        forgeries.put("signed by another key", new WebhookSigner().sign("AppInstalled", instanceId, data("appId", wix.appId()), Instant.now()));
        forgeries.put("payload swapped", parts[0] + "." + Base64URL.encode(claims.toString().replace(instanceId,
                UUID.randomUUID().toString())) + "." + parts[2]);
        forgeries.put("not a JWT", "{\"eventType\":\"AppInstalled\",\"instanceId\":\"" + instanceId + "\"}");
        forgeries.put("empty", "");

        forgeries.forEach((what, body) -> {
            HttpResponse<String> response = post(body);
            assertThat(response.statusCode()).as(what).isEqualTo(401);
            assertThat(Http.json(response).getString("error")).as(what).isEqualTo("invalid_webhook");
            assertThat(response.body()).as(what).doesNotContainIgnoringCase("signature").doesNotContain("Exception");
        });
        HttpResponse<String> oversized = post("x".repeat(70_000));
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(db.installation(instanceId)).isEmpty();
    }

    private HttpResponse<String> post(String body) {
        return Http.send(HttpRequest.newBuilder(env.webhookUrl()).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> getToken(String instanceId) {
        return Http.get(env.service().resolve("api/v1/instances/" + instanceId + "/access-token"), env.bearer("token-reader"));
    }

    private static JsonObject data(String... keyValues) {
        var builder = Json.createObjectBuilder();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            builder.add(keyValues[i], keyValues[i + 1]);
        }
        return builder.build();
    }
}

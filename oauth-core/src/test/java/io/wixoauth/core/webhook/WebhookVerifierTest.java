package io.wixoauth.core.webhook;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.error.WebhookRejectedException;
import io.wixoauth.core.wix.TestWixSettings;
import io.wixoauth.simulator.WebhookSigner;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Wix's webhooks (protocol section 6) signed by the simulator's signer and read by the verifier with a real
 * MicroProfile Config (SmallRye), without a container: what is accepted, what is refused, and why.
 */
class WebhookVerifierTest {

    private static final String APP_ID = UUID.randomUUID().toString();

    private final WebhookSigner wix = new WebhookSigner();
    private final WebhookSigner stranger = new WebhookSigner();
    private final String instance = UUID.randomUUID().toString();

    @Test
    void readsAnEventWixSignedWithItsNestedData() {
        Instant at = Instant.now().minusSeconds(3);
        String body = wix.sign("PaidPlanPurchased", instance, Json.createObjectBuilder().add("appId", APP_ID)
                .add("vendorProductId", "premium").build(), at);

        WebhookEvent event = verifier(wix.publicKeyPem()).verify(body);

        assertThat(event.eventType()).isEqualTo("PaidPlanPurchased");
        assertThat(event.instanceId().value()).isEqualTo(instance);
        assertThat(event.occurredAt()).isEqualTo(Instant.ofEpochSecond(at.getEpochSecond()));
        assertThat(event.text("vendorProductId")).isEqualTo("premium");
    }

    @Test
    void acceptsAKeyGivenAsBase64EncodedPemAndAnyOfSeveralKeys() {
        String base64 = Base64.getEncoder().encodeToString(wix.publicKeyPem().getBytes(StandardCharsets.UTF_8));
        WebhookVerifier verifier = verifier(stranger.publicKeyPem() + "," + base64);

        assertThat(verifier.keyCount()).isEqualTo(2);
        assertThat(verifier.verify(installed(wix)).instanceId().value()).isEqualTo(instance);
    }

    @Test
    void refusesWhatWixDidNotSignOrSignedTooLongAgoOrAhead() throws Exception {
        WebhookVerifier verifier = verifier(wix.publicKeyPem());
        JsonObject data = Json.createObjectBuilder().add("appId", APP_ID).build();
        Map<String, String> refused = new HashMap<>();
        refused.put("signed by another key", installed(stranger));
        refused.put("alg none", "eyJhbGciOiJub25lIn0." + Base64URL.encode(wix.claims("AppInstalled", instance, data,
                Instant.now()).build().toString()) + ".");
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), wix.claims("AppInstalled", instance, data,
                Instant.now()).build());
        hmac.sign(new MACSigner(wix.publicKeyPem().repeat(2).getBytes(StandardCharsets.UTF_8)));
        refused.put("HS256 keyed with the public key", hmac.serialize());
        refused.put("expired", wix.sign(wix.claims("AppInstalled", instance, data, Instant.now().minusSeconds(3600))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build()));
        refused.put("issued a minute ahead", wix.sign("AppInstalled", instance, data, Instant.now().plusSeconds(60)));
        refused.put("not a JWT", "{\"eventType\":\"AppInstalled\"}");
        refused.put("signed, but no instance id", wix.sign(wix.claims("AppInstalled", "not-an-id", data, Instant.now())
                .build()));

        refused.forEach((what, body) -> assertThatThrownBy(() -> verifier.verify(body)).as(what)
                .isInstanceOf(WebhookRejectedException.class));
    }

    @Test
    void refusesAGenuineEventForAnotherAppByName() {
        String body = wix.sign("AppInstalled", instance, Json.createObjectBuilder()
                .add("appId", UUID.randomUUID().toString()).build(), Instant.now());

        assertThatThrownBy(() -> verifier(wix.publicKeyPem()).verify(body))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("another app");
    }

    private String installed(WebhookSigner signer) {
        return signer.sign("AppInstalled", instance, Json.createObjectBuilder().add("appId", APP_ID).build(), Instant.now());
    }

    private static WebhookVerifier verifier(String keys) {
        Map<String, String> settings = new HashMap<>();
        settings.put("wix.webhook-public-keys", keys);
        settings.put("wix.app-id", APP_ID);
        settings.put("wix.app-secret", "secret");
        settings.put("wix.api-base-url", "https://www.wixapis.com");
        settings.put("wix.www-base-url", "https://www.wix.com");
        settings.put("oauth.upstream.connect-timeout", "PT2S");
        settings.put("oauth.upstream.read-timeout", "PT5S");
        settings.put("oauth.redirect-url", "https://oauth.example.com/oauth/callback");
        Config config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(settings, "test", 100)).build();
        WebhookVerifier verifier = new WebhookVerifier();
        verifier.config = config;
        verifier.clock = java.time.Clock.systemUTC();
        verifier.settings = TestWixSettings.from(config);
        verifier.apps = io.wixoauth.core.testing.Wiring.set(new io.wixoauth.core.wix.Apps(), "settings", verifier.settings);
        verifier.loadKeys();
        return verifier;
    }
}

package io.wixoauth.simulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Signs and sends webhooks the way Wix does (protocol section 6): the whole body is a compact RS256 JWT whose
 * {@code data} claim is a JSON string, whose own {@code data} and {@code identity} are JSON strings again.
 */
public final class WebhookSigner {

    private final RSAKey key = RsaKeys.generate();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The public key the service must be configured with ({@code wix.webhook-public-keys}). */
    public String publicKeyPem() {
        return RsaKeys.publicKeyPem(key);
    }

    /** A webhook that happened at {@code occurredAt} (its {@code iat}). */
    public String sign(String eventType, String instanceId, JsonObject eventData, Instant occurredAt) {
        return sign(claims(eventType, instanceId, eventData, occurredAt).build());
    }

    /** The claims of {@link #sign(String, String, JsonObject, Instant)}, for tests that change one of them. */
    public JWTClaimsSet.Builder claims(String eventType, String instanceId, JsonObject eventData, Instant occurredAt) {
        String envelope = Json.createObjectBuilder()
                .add("eventType", eventType)
                .add("instanceId", instanceId)
                .add("data", eventData.toString())
                .add("identity", Json.createObjectBuilder().add("identityType", "APP").build().toString())
                .build()
                .toString();
        return new JWTClaimsSet.Builder()
                .claim("data", envelope)
                .issueTime(Date.from(occurredAt))
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a webhook", e);
        }
    }

    /** POSTs {@code body} as Wix would, and returns the status the service answered. */
    public int post(URI webhookUrl, String body) {
        try {
            return http.send(HttpRequest.newBuilder(webhookUrl).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException("webhook to " + webhookUrl + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

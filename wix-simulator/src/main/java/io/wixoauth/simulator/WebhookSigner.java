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

import java.time.Instant;
import java.util.Date;

/**
 * Signs webhook bodies the way Wix does (protocol section 6): the whole body is a compact RS256 JWT whose
 * {@code data} claim is a JSON string, whose own {@code data} and {@code identity} are JSON strings again.
 */
public final class WebhookSigner {

    private final RSAKey key = RsaKeys.generate();

    /** The public key the service must be configured with ({@code wix.webhook-public-keys}). */
    public String publicKeyPem() {
        return RsaKeys.publicKeyPem(key);
    }

    public String sign(String eventType, String instanceId, JsonObject eventData) {
        String envelope = Json.createObjectBuilder()
                .add("eventType", eventType)
                .add("instanceId", instanceId)
                .add("data", eventData.toString())
                .add("identity", Json.createObjectBuilder().add("identityType", "APP").build().toString())
                .build()
                .toString();
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("data", envelope)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a webhook", e);
        }
    }
}

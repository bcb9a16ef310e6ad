package io.wixoauth.core.webhook;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.error.InvalidIdentifierException;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.error.WebhookRejectedException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.wixoauth.api.error.UnknownAppException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.MissingSettingException;
import io.wixoauth.core.platform.StartupCheck;
import io.wixoauth.core.wix.Apps;
import io.wixoauth.core.wix.WixSettings;
import io.wixoauth.persistence.app.StoredApp;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.eclipse.microprofile.config.Config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;

/**
 * Verifies that a webhook body is a compact JWS signed RS256 by one of the configured Wix public keys
 * ({@code wix.webhook-public-keys}: PEM or base64-encoded PEM, several separated by commas, for rotation), and reads
 * its nested payload (protocol section 6). Only RS256 is accepted: {@code alg: none} and HS256 signed with the
 * public key as a shared secret are refused before any signature check.
 */
@ApplicationScoped
public class WebhookVerifier implements StartupCheck {

    private static final Logger LOG = Logs.of(WebhookVerifier.class);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** How far ahead of this server's clock Wix's may run: NTP keeps both within far less. */
    static final Duration FUTURE_SKEW = Duration.ofSeconds(10);

    @Inject
    Clock clock;

    @Inject
    Config config;

    @Inject
    WixSettings settings;

    @Inject
    Apps apps;

    private List<RSASSAVerifier> verifiers;

    /** The other apps' keys, parsed once per value: their webhooks are verified with their own keys only. */
    private final java.util.Map<String, Keys> otherApps = new java.util.concurrent.ConcurrentHashMap<>();

    private record Keys(String configured, List<RSASSAVerifier> verifiers) {
    }

    @PostConstruct
    void loadKeys() {
        verifiers = verifiers(config.getOptionalValue("wix.webhook-public-keys", String.class).orElse(""));
        if (verifiers.isEmpty()) {
            LOG.warning("wix.webhook-public-keys is not set: every webhook will be refused");
        }
    }

    @Override
    public String check() {
        try {
            return "Webhooks are verified against " + keyCount() + " public key(s)";
        } catch (RuntimeException e) {
            throw new MissingSettingException("wix.webhook-public-keys",
                    "holds a value that is not an RSA public key in PEM or base64-encoded PEM");
        }
    }

    public int keyCount() {
        return verifiers.size();
    }

    /** A webhook of the default app, at {@code /webhooks/wix}. */
    public WebhookEvent verify(String body) {
        return verify(settings.appId(), body);
    }

    /**
     * A webhook of {@code app}, at its own address: signed with that app's key, or refused (protocol section 12: a
     * webhook signed with one app's key says nothing about another).
     */
    public WebhookEvent verify(AppId app, String body) {
        List<RSASSAVerifier> keys = keysOf(app);
        SignedJWT jwt = signedRs256(body);
        JWTClaimsSet claims = verifiedClaims(jwt, keys);
        WebhookEvent event;
        try {
            JsonObject envelope = json(claims.getStringClaim("data"));
            InstanceId instanceId = InstanceId.of(string(envelope, "instanceId"));
            String eventType = string(envelope, "eventType");
            JsonObject data = envelope.get("data") instanceof JsonString inner ? json(inner.getString()) : JsonObject.EMPTY_JSON_OBJECT;
            Instant occurredAt = claims.getIssueTime() != null ? claims.getIssueTime().toInstant() : Instant.now(clock);
            event = new WebhookEvent(eventType, app, instanceId, occurredAt, data);
        } catch (ParseException | RuntimeException e) {
            LOG.fine(() -> "Webhook refused: unreadable payload");
            throw new WebhookRejectedException();
        }
        return acceptable(event);
    }

    private List<RSASSAVerifier> keysOf(AppId app) {
        if (apps.isDefault(app)) {
            return verifiers;
        }
        String configured = apps.stored(app).flatMap(StoredApp::webhookPublicKeys)
                .orElseThrow(() -> new UnknownAppException("This deployment serves no app " + app + "."));
        Keys known = otherApps.get(app.value());
        if (known == null || !known.configured().equals(configured)) {
            known = new Keys(configured, verifiers(configured));
            otherApps.put(app.value(), known);
        }
        return known.verifiers();
    }

    /**
     * Signed by Wix, but still not to act on (protocol section 6): an event for another app, or an id that is not one.
     * Refused with a 400 that names the problem, so it shows in Wix's delivery log.
     */
    private WebhookEvent acceptable(WebhookEvent event) {
        String appId = event.text("appId");
        if (appId != null && !appId.equalsIgnoreCase(event.appId().value())) {
            throw new InvalidRequestException("The webhook is for another app.");
        }
        String origin = event.text("originInstanceId");
        if (origin != null && !origin.isEmpty()) {
            try {
                InstanceId.of(origin);
            } catch (InvalidIdentifierException e) {
                throw new InvalidRequestException("The webhook's originInstanceId is not an instance id.");
            }
        }
        return event;
    }

    private static SignedJWT signedRs256(String body) {
        try {
            SignedJWT jwt = SignedJWT.parse(body.strip());
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
                throw new WebhookRejectedException();
            }
            return jwt;
        } catch (ParseException e) {
            throw new WebhookRejectedException();
        }
    }

    private JWTClaimsSet verifiedClaims(SignedJWT jwt, List<RSASSAVerifier> keys) {
        for (RSASSAVerifier verifier : keys) {
            try {
                if (jwt.verify(verifier)) {
                    JWTClaimsSet claims = jwt.getJWTClaimsSet();
                    Instant now = Instant.now(clock);
                    if (claims.getExpirationTime() != null
                            && claims.getExpirationTime().toInstant().plus(CLOCK_SKEW).isBefore(now)) {
                        throw new WebhookRejectedException();
                    }
                    // Issued "later" than now is a clock far off or a forged time: a removal dated ahead would beat
                    // the reinstall that follows it (section 6: never an iat far in the future).
                    if (claims.getIssueTime() != null
                            && claims.getIssueTime().toInstant().isAfter(now.plus(FUTURE_SKEW))) {
                        throw new WebhookRejectedException();
                    }
                    return claims;
                }
            } catch (JOSEException | ParseException e) {
                throw new WebhookRejectedException();
            }
        }
        throw new WebhookRejectedException();
    }

    /**
     * One verifier per key of a list (PEM or base64-encoded PEM, separated by commas); an entry that is not an RSA
     * public key is refused with {@link IllegalArgumentException}.
     */
    public static List<RSASSAVerifier> verifiers(String keys) {
        List<RSASSAVerifier> found = new ArrayList<>();
        for (String entry : keys.split(",")) {
            if (!entry.isBlank()) {
                found.add(verifier(entry.strip()));
            }
        }
        return found;
    }

    /** Wix hands out the key as PEM, sometimes base64-encoded once more (protocol section 6). */
    private static RSASSAVerifier verifier(String configured) {
        String pem = configured.contains("-----BEGIN")
                ? configured.replace("\\n", "\n")
                : new String(Base64.getMimeDecoder().decode(configured), StandardCharsets.UTF_8);
        try {
            String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            PublicKey key = KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return new RSASSAVerifier((RSAPublicKey) key);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("wix.webhook-public-keys holds a value that is not an RSA public key");
        }
    }

    private static JsonObject json(String text) {
        try (var reader = Jsonp.reader(text)) {
            return reader.readObject();
        } catch (JsonException | NullPointerException e) {
            throw new IllegalArgumentException("not a JSON object");
        }
    }

    private static String string(JsonObject json, String name) {
        if (json.get(name) instanceof JsonString s) {
            return s.getString();
        }
        throw new IllegalArgumentException(name + " missing");
    }
}

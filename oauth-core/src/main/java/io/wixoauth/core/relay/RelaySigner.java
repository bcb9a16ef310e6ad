package io.wixoauth.core.relay;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.wixoauth.api.Secret;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Standard Webhooks signatures, made by the specification's own library, so a receiver that verifies with any of its
 * libraries agrees byte for byte: {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and
 * {@code webhook-signature}, one {@code v1,<base64>} per secret that signs now, separated by spaces.
 */
public final class RelaySigner {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RelaySigner() {
    }

    /** A new secret: 32 random bytes, {@code whsec_<base64>} as receivers' libraries take it. */
    public static Secret newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Secret.of("whsec_" + Base64.getEncoder().encodeToString(key));
    }

    public static Map<String, String> headers(String eventId, Instant at, String body, List<Secret> secrets) {
        long timestamp = at.getEpochSecond();
        String signatures = secrets.stream().map(secret -> sign(secret, eventId, timestamp, body))
                .collect(Collectors.joining(" "));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", eventId);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signatures);
        return headers;
    }

    private static String sign(Secret secret, String eventId, long timestamp, String body) {
        try {
            return new Webhook(secret.reveal()).sign(eventId, timestamp, body);
        } catch (EmptyWebhookSecretException | WebhookSigningException e) {
            throw new IllegalStateException("A subscription's secret cannot sign: " + e.getClass().getSimpleName());
        }
    }
}

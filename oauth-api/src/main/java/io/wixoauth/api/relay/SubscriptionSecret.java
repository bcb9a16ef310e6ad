package io.wixoauth.api.relay;

import java.time.Instant;

/**
 * A subscription's signing secret, in the Standard Webhooks form {@code whsec_<base64>}: shown once, when the
 * subscription is created or its secret rotated. After a rotation the previous secret also signs every event until
 * {@code previousSecretValidUntil}, so receivers can switch without losing one.
 */
public record SubscriptionSecret(String subscriptionId, String secret, Instant previousSecretValidUntil) {

    @Override
    public String toString() {
        return "SubscriptionSecret[" + subscriptionId + ", secret redacted]";
    }
}

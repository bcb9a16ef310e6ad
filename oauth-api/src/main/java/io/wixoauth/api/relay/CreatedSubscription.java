package io.wixoauth.api.relay;

/** The answer to a new subscription: what was stored, and its secret, shown this once. */
public record CreatedSubscription(SubscriptionView subscription, String secret) {

    @Override
    public String toString() {
        return "CreatedSubscription[" + subscription.id() + ", secret redacted]";
    }
}

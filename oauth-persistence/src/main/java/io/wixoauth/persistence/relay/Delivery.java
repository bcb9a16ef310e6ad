package io.wixoauth.persistence.relay;

import java.time.Instant;

/** One event's delivery to one subscription, as operations see it: never the event's body or a secret. */
public record Delivery(long id, String subscriptionId, String eventId, String eventType, String instanceId, State state,
                       int attempts, Instant createdAt, Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatus,
                       String lastError, Instant deliveredAt) {

    public enum State { PENDING, DELIVERED, FAILED }
}

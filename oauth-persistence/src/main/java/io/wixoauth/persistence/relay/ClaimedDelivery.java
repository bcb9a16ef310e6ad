package io.wixoauth.persistence.relay;

import java.time.Instant;

/** A delivery this node holds the claim on: what it needs to send it once. */
public record ClaimedDelivery(long id, String subscriptionId, String eventId, String body, int attempts,
                              Instant createdAt) {
}

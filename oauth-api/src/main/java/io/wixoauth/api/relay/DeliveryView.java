package io.wixoauth.api.relay;

import java.time.Instant;

/**
 * One event's delivery to one subscription: {@code state} PENDING (waiting, or retried at {@code nextAttemptAt}),
 * DELIVERED, or FAILED (retries ran out); the receiver's last HTTP status, or the error when it gave none.
 */
public record DeliveryView(long id, String eventId, String eventType, String instanceId, String state, int attempts,
                           Instant createdAt, Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatus,
                           String lastError, Instant deliveredAt) {
}

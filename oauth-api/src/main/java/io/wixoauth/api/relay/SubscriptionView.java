package io.wixoauth.api.relay;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A subscription as operations see it, never its secret: {@code state} is ACTIVE, PAUSED or DISABLED (a receiver
 * answered 410), {@code deliveries} counts its deliveries by state (PENDING, DELIVERED, FAILED), and
 * {@code oldestPendingAt} is when the oldest event still waiting for it happened, or null.
 */
public record SubscriptionView(String id, String url, List<String> eventTypes, String state, String stateReason,
                               Instant createdAt, String createdBy, Map<String, Long> deliveries,
                               Instant oldestPendingAt, Instant previousSecretValidUntil, List<String> appIds) {
}

package io.wixoauth.core.relay;

import io.wixoauth.persistence.relay.ClaimedDelivery;
import io.wixoauth.persistence.relay.Delivery;

import java.time.Instant;

/**
 * What one attempt decided for its delivery: its next state and attempt time, what the receiver said, and whether its
 * answer (410 Gone) disables the subscription. {@code outcome} names it for the metrics.
 */
record Settlement(ClaimedDelivery delivery, Delivery.State state, Instant nextAttemptAt, Instant at, Integer status,
                  String error, String outcome, String disableReason) {
}

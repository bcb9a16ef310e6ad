package io.wixoauth.api.admin;

import java.time.Instant;

/**
 * Wix as the node that answered saw it in the last 15 minutes (at most its last 512 calls): how many calls, how many
 * Wix failed (no answer, 5xx), their median and 95th percentile in milliseconds (null without calls), when Wix last
 * answered 429 and how often since start-up, and whether the gate refused calls in the last minute because Wix was
 * failing for every instance (its circuit breaker open).
 */
public record WixHealth(int calls, int failed, Long p50Millis, Long p95Millis, Instant lastThrottledAt,
                        Instant lastPausedAt, boolean paused, int throttledSinceStart) {
}

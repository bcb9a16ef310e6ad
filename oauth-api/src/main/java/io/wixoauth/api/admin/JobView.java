package io.wixoauth.api.admin;

import java.time.Instant;

/**
 * A background job's progress: {@code done} of {@code total} items, {@code errors} among them, and the rate since it
 * started. {@code state} is RUNNING, CANCELLED or DONE.
 */
public record JobView(String id, String kind, String state, long total, long done, long errors, double itemsPerSecond,
                      String requestedBy, String reason, Instant createdAt, Instant finishedAt) {
}

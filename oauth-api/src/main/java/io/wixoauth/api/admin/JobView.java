package io.wixoauth.api.admin;

import java.time.Instant;

/**
 * A background job's progress: {@code done} of {@code total} items, {@code errors} among them, and the rate since it
 * started. {@code state} is RUNNING, CANCELLED or DONE; {@code detail} says what it did beyond the counts (an
 * import: how many installations it created, replaced, kept or skipped), or is null.
 */
public record JobView(String id, String kind, String state, long total, long done, long errors, double itemsPerSecond,
                      String requestedBy, String reason, Instant createdAt, Instant finishedAt, String detail) {
}

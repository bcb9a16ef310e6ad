package io.wixoauth.api.admin;

import java.time.Instant;

/** Null fields match anything. Pages are ordered by instance id; {@code after} is the cursor from the last page. */
public record InstallationFilter(String mode, String state, String appId, Instant updatedSince, String after, int limit) {
}

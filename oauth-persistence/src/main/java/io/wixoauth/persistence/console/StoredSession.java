package io.wixoauth.persistence.console;

import java.time.Instant;
import java.util.List;

/** A console session as stored: who signed in, in which groups, its CSRF token, and its lifetimes. */
public record StoredSession(String idHash, String username, String displayName, List<String> groups, String csrfToken,
                            Instant createdAt, Instant lastSeenAt, Instant expiresAt) {
}

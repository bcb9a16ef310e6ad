package io.wixoauth.core.console;

import java.time.Instant;
import java.util.List;

/** A signed-in person, as a console request sees them: their groups decide what they see and may do. */
public record ConsoleSession(String username, String name, List<String> groups, String csrfToken, Instant expiresAt) {
}

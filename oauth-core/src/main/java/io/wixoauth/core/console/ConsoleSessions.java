package io.wixoauth.core.console;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.persistence.console.ConsoleSessionRepository;
import io.wixoauth.persistence.console.StoredSession;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one writer of console sessions. A session starts only after the identity provider confirmed the person and they
 * are in one of the service's groups; it ends at logout, after {@code oauth.console.session-idle} unused, or at
 * {@code oauth.console.session-max} whatever happens. The cookie holds 256 random bits; the database their SHA-256.
 */
@Stateless
public class ConsoleSessions {

    /** The groups that give access to something in the console; the others a person is in are not kept. */
    public static final Set<String> CONSOLE_GROUPS = Set.of("oauth-viewer", "oauth-admin", "oauth-auditor");
    /** A session's last use is written at most this often: a busy page costs a write a minute, not one a request. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new session: the cookie's value, given to the browser once, and the session. */
    public record Started(String cookie, ConsoleSession session) {
    }

    @Inject
    Clock clock;

    @Inject
    ConsoleSessionRepository repository;

    @Inject
    ConsoleSettings settings;

    @Inject
    AuditService audit;

    /** A session for a person in at least one console group; audited. Empty (and audited) for a person in none. */
    public Optional<Started> start(OpenIdLogin.Person person, String requestId) {
        List<String> groups = person.groups().stream().filter(CONSOLE_GROUPS::contains).sorted().toList();
        if (groups.isEmpty()) {
            audit.record(AuditEvent.of("console.signed_in", cut(person.username()), null, "no access")
                    .withRequestId(requestId).withDetails("in none of " + String.join(", ", CONSOLE_GROUPS.stream()
                            .sorted().toList())));
            return Optional.empty();
        }
        Instant now = Instant.now(clock);
        String cookie = random();
        ConsoleSession session = new ConsoleSession(cut(person.username()), cut(person.name()), groups, random(),
                now.plus(settings.sessionMax()));
        repository.add(new StoredSession(hash(cookie), session.username(), session.name(), groups, session.csrfToken(),
                now, now, session.expiresAt()));
        audit.record(AuditEvent.of("console.signed_in", session.username(), null, "signed in")
                .withRequestId(requestId).withDetails("groups " + String.join(", ", groups)));
        return Optional.of(new Started(cookie, session));
    }

    /** The live session a cookie names; an idle or expired one is ended, a malformed cookie costs no query. */
    public Optional<ConsoleSession> find(String cookie) {
        if (cookie == null || !WELL_FORMED.matcher(cookie).matches()) {
            return Optional.empty();
        }
        String id = hash(cookie);
        Optional<StoredSession> stored = repository.find(id);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now(clock);
        StoredSession row = stored.get();
        if (!now.isBefore(row.expiresAt()) || !now.isBefore(row.lastSeenAt().plus(settings.sessionIdle()))) {
            repository.delete(id);
            return Optional.empty();
        }
        if (!now.isBefore(row.lastSeenAt().plus(TOUCH_EVERY))) {
            repository.touch(id, now);
        }
        return Optional.of(new ConsoleSession(row.username(), row.displayName(), row.groups(), row.csrfToken(),
                row.expiresAt()));
    }

    /** Logout: the session is gone on every node at once. */
    public void end(String cookie, String requestId) {
        if (cookie == null || !WELL_FORMED.matcher(cookie).matches()) {
            return;
        }
        String id = hash(cookie);
        repository.find(id).ifPresent(row -> {
            repository.delete(id);
            audit.record(AuditEvent.of("console.signed_out", row.username(), null, "signed out")
                    .withRequestId(requestId));
        });
    }

    private static String cut(String value) {
        return value.length() <= 200 ? value : value.substring(0, 200);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String cookie) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(cookie.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

package io.wixoauth.core.console;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.core.testing.MutableClock;
import io.wixoauth.core.testing.TestDatabase;
import io.wixoauth.persistence.console.ConsoleSessionRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.wixoauth.core.testing.Wiring.set;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Console sessions on H2: a session only for a person in a console group, ended when idle, at its absolute lifetime
 * whatever its use, and at logout; its last use written once a minute at most; the database never holds the cookie.
 */
class ConsoleSessionsTest {

    private final MutableClock clock = new MutableClock();
    private final List<AuditEvent> audited = new ArrayList<>();
    private TestDatabase db;
    private ConsoleSessions sessions;

    @BeforeEach
    void wire() {
        db = new TestDatabase();
        ConsoleSettings settings = ConsoleSettingsTest.load(Map.of("oauth.console.session-idle", "PT30M",
                "oauth.console.session-max", "PT8H"));
        sessions = new ConsoleSessions();
        sessions.clock = clock;
        sessions.settings = settings;
        sessions.repository = set(new ConsoleSessionRepository(), "em", db.entityManager());
        sessions.audit = (AuditService) Proxy.newProxyInstance(AuditService.class.getClassLoader(),
                new Class<?>[]{AuditService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("record")) {
                        audited.add((AuditEvent) args[0]);
                    }
                    return null;
                });
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void aSessionIsKeptWhileInUseAndEndsWhenIdle() {
        String cookie = start("ada", List.of("oauth-admin", "staff")).cookie();

        Optional<ConsoleSession> found = find(cookie);
        assertThat(found).hasValueSatisfying(session -> {
            assertThat(session.username()).isEqualTo("ada");
            assertThat(session.groups()).as("only the console's groups kept").containsExactly("oauth-admin");
            assertThat(session.csrfToken()).hasSize(43).isNotEqualTo(cookie);
        });
        assertThat(db.supports(() -> db.entityManager().createNativeQuery("SELECT id_hash FROM console_session")
                .getResultList())).as("the database holds a hash of the cookie, never the cookie")
                .singleElement().isNotEqualTo(cookie).asString().hasSize(64);

        clock.advance(Duration.ofMinutes(25));
        assertThat(find(cookie)).as("used within the idle time").isPresent();
        clock.advance(Duration.ofMinutes(25));
        assertThat(find(cookie)).as("25 minutes after its last use, idle time 30").isPresent();
        clock.advance(Duration.ofMinutes(31));
        assertThat(find(cookie)).as("idle 31 minutes").isEmpty();
        assertThat(rows()).as("an ended session's row goes").isZero();
    }

    @Test
    void aSessionEndsAtItsAbsoluteLifetimeHoweverBusy() {
        String cookie = start("victor", List.of("oauth-viewer")).cookie();
        for (int i = 0; i < 47; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(find(cookie)).as("after " + (i + 1) * 10 + " minutes").isPresent();
        }
        clock.advance(Duration.ofMinutes(10)); // 8 hours
        assertThat(find(cookie)).isEmpty();
    }

    @Test
    void logoutEndsItAndIsAudited() {
        String cookie = start("ada", List.of("oauth-admin")).cookie();
        db.requiresNew(() -> sessions.end(cookie, "req-2"));

        assertThat(find(cookie)).isEmpty();
        assertThat(audited).extracting(AuditEvent::action).containsExactly("console.signed_in", "console.signed_out");
        assertThat(audited).allSatisfy(event -> assertThat(event.actor()).isEqualTo("ada"));
    }

    @Test
    void aPersonInNoConsoleGroupGetsNoSessionAndForgedCookiesFindNone() {
        Optional<ConsoleSessions.Started> none = db.requiresNew(() -> sessions.start(
                new OpenIdLogin.Person("nadia", "Nadia Nogroup", List.of("staff")), "req-1"));

        assertThat(none).isEmpty();
        assertThat(rows()).isZero();
        assertThat(audited).singleElement().satisfies(event -> assertThat(event.outcome()).isEqualTo("no access"));
        assertThat(find("A".repeat(43))).isEmpty();
        assertThat(find("not a cookie")).isEmpty();
        assertThat(find(null)).isEmpty();
    }

    private ConsoleSessions.Started start(String username, List<String> groups) {
        return db.requiresNew(() -> sessions.start(new OpenIdLogin.Person(username, username, groups), "req-1"))
                .orElseThrow();
    }

    private Optional<ConsoleSession> find(String cookie) {
        return db.requiresNew(() -> sessions.find(cookie));
    }

    private long rows() {
        return db.supports(() -> ((Number) db.entityManager().createNativeQuery("SELECT COUNT(*) FROM console_session")
                .getSingleResult()).longValue());
    }
}

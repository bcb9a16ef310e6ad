package io.wixoauth.core.audit;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.api.audit.ChainVerification;
import io.wixoauth.api.Jsonp;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.testing.MutableClock;
import io.wixoauth.core.testing.TestDatabase;
import io.wixoauth.persistence.audit.AuditRepository;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.wixoauth.core.testing.Wiring.set;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token reads summed up in the audit trail (issue 25), on a real H2 database through the service's own audit service,
 * with time moved by hand so that every read falls in a known interval: the entries and their counts are exact, a
 * database that refuses the summaries for a while loses no count, and past the bound of what a node holds the reads
 * are still counted.
 */
class ReadSummariesTest {

    private static final String[] CALLERS = {"billing", "crm-sync", "reports"};
    private static final String[] INSTANCES = {
            "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222",
            "33333333-3333-3333-3333-333333333333", "44444444-4444-4444-4444-444444444444",
            "55555555-5555-5555-5555-555555555555"};
    private static final String APP = "a7c3f0e2-0000-4000-8000-00000000a001";

    private final MutableClock clock = new MutableClock();
    private final AtomicLong unwrittenMetric = new AtomicLong();
    private TestDatabase db;
    private AuditService trail;
    private ReadSummaries reads;

    @BeforeEach
    void wire() {
        db = new TestDatabase();
        AuditKeys keys = new AuditKeys();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        keys.config = new SmallRyeConfigBuilder().withSources(new MapBackedConfigSource("test", Map.of(
                AuditKeys.KEYS, "r1:" + Base64.getEncoder().encodeToString(key), AuditKeys.ACTIVE, "r1")) {
        }).build();
        keys.load();
        ServiceMetrics metrics = new ServiceMetrics() {
            @Override
            public void auditEntry() {
                // the container's registry counts entries; nothing to count here
            }

            @Override
            public void auditUnwritten(long count) {
                unwrittenMetric.addAndGet(count);
            }
        };
        DefaultAuditService audit = new DefaultAuditService();
        audit.repository = set(new AuditRepository(), "em", db.entityManager());
        audit.keys = keys;
        audit.clock = clock;
        audit.metrics = metrics;
        trail = transactional(audit);
        reads = new ReadSummaries();
        reads.clock = clock;
        reads.trail = trail;
        reads.unwritten = set(new Unwritten(), "metrics", metrics);
        reads.interval = Duration.ofMinutes(1);
        reads.logEachRead = false;
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void readsByThreeCallersOfFiveInstancesInTwoIntervalsGiveOneEntryPerCallerInstanceAndInterval() {
        clock.advance(Duration.ofSeconds(5)); // 00:00:05, in the interval 00:00 to 00:01
        Map<String, Integer> expected = new HashMap<>();
        readAll(1, expected, "00:00");
        clock.advance(Duration.ofSeconds(50)); // 00:00:55, same interval
        readAll(2, expected, "00:00");
        reads.flush(false);
        assertThat(summaries()).as("an interval still open is not written").isEmpty();

        clock.advance(Duration.ofSeconds(5)); // 00:01:00: the first interval has ended, a second one begins
        readAll(3, expected, "00:01");
        reads.flush(false);
        assertThat(summaries()).as("written a second after its end").isEmpty();
        clock.advance(Duration.ofSeconds(1)); // 00:01:01
        reads.flush(false);
        assertThat(summaries()).hasSize(15);

        clock.advance(Duration.ofMinutes(1));
        reads.flush(false);

        List<JsonObject> written = summaries();
        assertThat(written).hasSize(30);
        Map<String, Integer> found = new HashMap<>();
        for (JsonObject entry : written) {
            JsonObject details = Jsonp.reader(entry.getString("details")).readObject();
            String window = details.getString("interval").substring(11, 16);
            found.put(entry.getString("actor") + " " + entry.getString("instance_id") + " " + window,
                    details.getInt("count"));
            assertThat(entry.getString("outcome")).isEqualTo("client_credentials");
            assertThat(details.getString("interval")).endsWith("/PT1M");
            assertThat(Instant.parse(details.getString("firstAt")))
                    .isBeforeOrEqualTo(Instant.parse(details.getString("lastAt")));
        }
        assertThat(found).isEqualTo(expected);
        JsonObject first = written.stream().filter(e -> e.getString("actor").equals("billing")
                && e.getString("instance_id").equals(INSTANCES[0]) && e.getString("details").contains("T00:00:00Z/")).findFirst().orElseThrow();
        JsonObject details = Jsonp.reader(first.getString("details")).readObject();
        assertThat(details.getString("firstAt")).isEqualTo("2026-01-01T00:00:05Z");
        assertThat(details.getString("lastAt")).isEqualTo("2026-01-01T00:00:55Z");
        assertThat(verified().intact()).isTrue();
    }

    @Test
    void aDatabaseThatRefusesTheSummariesForAWhileLosesNoCount() throws SQLException {
        clock.advance(Duration.ofSeconds(5));
        Map<String, Integer> expected = new HashMap<>();
        readAll(2, expected, "x");
        sql("ALTER TABLE audit_entry RENAME TO audit_entry_away"); // the trail's table is gone: every append fails

        for (int minute = 0; minute < 5; minute++) { // five intervals of reads, each flushed, each refused
            clock.advance(Duration.ofMinutes(1));
            readAll(1, expected, "x");
            reads.flush(false);
            clock.advance(Duration.ofSeconds(31)); // past the longest wait between two attempts
            reads.flush(false);
        }
        sql("ALTER TABLE audit_entry_away RENAME TO audit_entry");
        clock.advance(Duration.ofMinutes(2));
        reads.flush(false);

        long total = 0;
        for (JsonObject entry : summaries()) {
            total += Jsonp.reader(entry.getString("details")).readObject().getInt("count");
        }
        assertThat(total).isEqualTo(expected.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(15 * 7);
        assertThat(summaries()).as("merged per caller and instance while the database was away")
                .hasSizeLessThanOrEqualTo(30)
                .anySatisfy(e -> assertThat(e.getString("details")).contains("\"late\":true"));
        assertThat(unwrittenMetric).hasValue(0);
        assertThat(verified().intact()).isTrue();
    }

    @Test
    void pastTheBoundReadsAreCountedAndTheCountIsWrittenOnceTheDatabaseTakesIt() throws SQLException {
        reads.mostHeld = 4;
        clock.advance(Duration.ofSeconds(5));
        sql("ALTER TABLE audit_entry RENAME TO audit_entry_away");
        for (String instance : INSTANCES) { // five keys, room for four
            reads.read("billing", instance, APP, "client_credentials", null);
            reads.read("billing", instance, APP, "client_credentials", null);
        }
        assertThat(unwrittenMetric).as("exported at once").hasValue(2);
        clock.advance(Duration.ofMinutes(2));
        reads.flush(false);
        sql("ALTER TABLE audit_entry_away RENAME TO audit_entry");
        clock.advance(Duration.ofMinutes(1));
        reads.flush(false);

        List<JsonObject> unwritten = rows("SELECT actor, outcome, details FROM audit_entry WHERE action = 'audit.unwritten'");
        assertThat(unwritten).singleElement().satisfies(e -> assertThat(e.getString("details")).isEqualTo("{\"count\":2}"));
        long summed = summaries().stream()
                .mapToLong(e -> Jsonp.reader(e.getString("details")).readObject().getInt("count")).sum();
        assertThat(summed).isEqualTo(8);
    }

    @Test
    void eachReadIsALineInTheAuditLogOnlyWhenAnOperatorAsksForIt() {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger auditLog = Logger.getLogger("io.wixoauth.audit");
        auditLog.addHandler(capture);
        try {
            reads.read("billing", INSTANCES[0], APP, "refresh_token", "req-1");
            reads.read("billing", INSTANCES[0], APP, "refresh_token", "req-2");
            clock.advance(Duration.ofMinutes(2));
            reads.flush(false);
            assertThat(lines).singleElement().asString().contains("count\\\":2").contains("\"seq\"")
                    .as("the summary names the app whose token was read").contains("\"appId\":\"" + APP + "\"");

            lines.clear();
            reads.logEachRead = true;
            reads.read("billing", INSTANCES[0], APP, "refresh_token", "req-3");
            reads.read("billing", INSTANCES[0], APP, "refresh_token", "req-4");
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).contains("\"requestId\":\"req-3\"").contains("\"actor\":\"billing\"")
                    .contains("\"instanceId\":\"" + INSTANCES[0] + "\"").contains("\"appId\":\"" + APP + "\"");
            assertThat(lines.get(1)).contains("\"requestId\":\"req-4\"");
        } finally {
            auditLog.removeHandler(capture);
        }
    }

    @Test
    void aReadIntervalThatIsNotWholeSecondsFromOneToAnHourStopsStartUpNamingIt() {
        for (String bad : List.of("PT0S", "-PT1M", "PT2H", "PT1.5S", "a minute")) {
            AuditKeys keys = new AuditKeys();
            keys.config = new SmallRyeConfigBuilder().withSources(new MapBackedConfigSource("test", Map.of(
                    AuditKeys.KEYS, "r1:" + Base64.getEncoder().encodeToString(new byte[32]), AuditKeys.ACTIVE, "r1",
                    AuditKeys.READ_INTERVAL, bad)) {
            }).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(keys::load).as(bad)
                    .isInstanceOf(io.wixoauth.core.platform.MissingSettingException.class)
                    .hasMessageStartingWith("Setting oauth.audit.read-interval must be a whole number of seconds");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Each caller reads each instance {@code times} times; the expectation keyed by caller, instance and window. */
    private void readAll(int times, Map<String, Integer> expected, String window) {
        for (String caller : CALLERS) {
            for (String instance : INSTANCES) {
                for (int i = 0; i < times; i++) {
                    reads.read(caller, instance, APP, "client_credentials", "req");
                }
                expected.merge(caller + " " + instance + " " + window, times, Integer::sum);
            }
        }
    }

    private List<JsonObject> summaries() {
        return rows("SELECT actor, instance_id, outcome, details FROM audit_entry WHERE action = 'token.served' ORDER BY seq");
    }

    private List<JsonObject> rows(String sql) {
        return db.supports(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> found = db.entityManager().createNativeQuery(sql).getResultList();
            String[] names = sql.substring(7, sql.indexOf(" FROM")).split(", ");
            List<JsonObject> result = new ArrayList<>();
            for (Object[] row : found) {
                var json = Jsonp.object();
                for (int i = 0; i < names.length; i++) {
                    json.add(names[i], String.valueOf(row[i]));
                }
                result.add(json.build());
            }
            return result;
        });
    }

    private ChainVerification verified() {
        return trail.verify(Optional.empty());
    }

    private void sql(String statement) throws SQLException {
        try (var connection = db.connection(); var s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    /** Each call in a transaction of its own, as the container runs the REQUIRES_NEW service's. */
    private AuditService transactional(DefaultAuditService audit) {
        return (AuditService) Proxy.newProxyInstance(AuditService.class.getClassLoader(),
                new Class<?>[]{AuditService.class}, (proxy, method, args) -> db.requiresNew(() -> {
                    try {
                        return method.invoke(audit, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }
}

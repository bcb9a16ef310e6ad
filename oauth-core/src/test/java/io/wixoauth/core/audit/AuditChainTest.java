package io.wixoauth.core.audit;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.wixoauth.api.audit.ArchiveVerification;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditFilter;
import io.wixoauth.api.audit.AuditRecord;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.api.audit.ChainVerification;
import io.wixoauth.api.audit.Checkpoint;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.testing.TestDatabase;
import io.wixoauth.persistence.audit.AuditRepositories;
import io.wixoauth.persistence.audit.AuditEntry;
import io.wixoauth.persistence.audit.AuditRepository;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit chain's verification walk without a container: the service's own {@link DefaultAuditService} on a real H2
 * database through JPA, its keys read from a real MicroProfile Config, and the chain then altered the ways someone who
 * can write the database would alter it. Each must be found, at the entry where it starts.
 */
class AuditChainTest {

    private static final String KEY_A = key();
    private static final String KEY_B = key();

    private TestDatabase db;

    @BeforeEach
    void freshDatabase() {
        db = new TestDatabase();
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void anUntouchedChainVerifiesEntryByEntryAcrossBatchesAndKeys() {
        write("a1:" + KEY_A, "a1", 3);
        inTransaction("a1:" + KEY_A, "a1", audit -> {
            audit.recordAll(events(600)); // past one verification batch (500)
            return null;
        });
        write("a1:" + KEY_A + ",b1:" + KEY_B, "b1", 2); // a key rotation: older entries keep their key

        ChainVerification verified = verify("a1:" + KEY_A + ",b1:" + KEY_B, Optional.empty());

        assertThat(verified.intact()).as(String.valueOf(verified.problem())).isTrue();
        assertThat(verified.entriesChecked()).isEqualTo(605);
        assertThat(verified.firstBrokenSeq()).isNull();
    }

    @Test
    void aChangedEntryIsFoundWhereItWasChanged() throws SQLException {
        write("a1:" + KEY_A, "a1", 10);
        sql("UPDATE audit_entry SET outcome = 'forged' WHERE seq = 7");

        assertBroken(verify("a1:" + KEY_A, Optional.empty()), 7, "was changed after it was written");
    }

    @Test
    void aRemovedOrReorderedEntryIsFound() throws SQLException {
        write("a1:" + KEY_A, "a1", 10);
        sql("DELETE FROM audit_entry WHERE seq = 4");
        assertBroken(verify("a1:" + KEY_A, Optional.empty()), 4, "entry 4 is missing");

        freshDatabase();
        write("a1:" + KEY_A, "a1", 10);
        sql("UPDATE audit_entry SET prev_hash = (SELECT prev_hash FROM audit_entry WHERE seq = 3) WHERE seq = 6");
        assertBroken(verify("a1:" + KEY_A, Optional.empty()), 6, "does not follow the previous entry");
    }

    @Test
    void anEntryResealedWithoutTheKeyIsFound() throws SQLException {
        write("a1:" + KEY_A, "a1", 5);
        // A writer without the key re-seals entry 3 the only way it can: plain, unkeyed.
        sql("UPDATE audit_entry SET key_id = NULL WHERE seq = 3");

        assertBroken(verify("a1:" + KEY_A, Optional.empty()), 3, "not sealed with a key");
    }

    @Test
    void aWholeChainRewrittenWithoutTheKeyFromItsFirstEntryIsFoundWithoutACheckpoint() throws SQLException {
        write("a1:" + KEY_A, "a1", 8);
        // Someone with the database but not the key: every entry re-sealed as a plain SHA-256 chain, one changed, the
        // last removed and the head moved back, so that the chain, read alone, hangs together.
        sql("UPDATE audit_entry SET key_id = NULL");
        sql("UPDATE audit_entry SET outcome = 'refresh_token' WHERE seq = 4");
        sql("DELETE FROM audit_entry WHERE seq = 8");
        String previous = "0".repeat(64);
        for (long seq = 1; seq <= 7; seq++) {
            sql("UPDATE audit_entry SET prev_hash = '" + previous + "' WHERE seq = " + seq);
            long at = seq;
            String plain = db.requiresNew(() -> db.entityManager().find(AuditEntry.class, at)
                    .expectedHash(null).orElseThrow());
            sql("UPDATE audit_entry SET hash = '" + plain + "' WHERE seq = " + seq);
            previous = plain;
        }
        sql("UPDATE audit_head SET last_seq = 7, last_hash = '" + previous + "'");

        assertBroken(verify("a1:" + KEY_A, Optional.empty()), 1, "not sealed with a key");
    }

    @Test
    void aDatabaseThatHadUnkeyedEntriesBeforeKeyingVerifiesAsFarAsItsOperatorSaid() throws SQLException {
        write("a1:" + KEY_A, "a1", 6);
        for (long seq = 1; seq <= 3; seq++) { // entries 1 to 3 as a release before keying wrote them
            sql("UPDATE audit_entry SET key_id = NULL WHERE seq = " + seq);
            long at = seq;
            String plain = db.requiresNew(() -> db.entityManager().find(AuditEntry.class, at)
                    .expectedHash(null).orElseThrow());
            sql("UPDATE audit_entry SET hash = '" + plain + "' WHERE seq = " + seq);
            sql("UPDATE audit_entry SET prev_hash = '" + plain + "' WHERE seq = " + (seq + 1));
        }
        // entry 4 was sealed over entry 3's keyed hash: re-seal the keyed tail as the service would have written it
        for (long seq = 4; seq <= 6; seq++) {
            long at = seq;
            String sealed = inTransaction("a1:" + KEY_A, "a1", audit -> db.entityManager().find(AuditEntry.class, at)
                    .expectedHash(audit.keys.chain()).orElseThrow());
            sql("UPDATE audit_entry SET hash = '" + sealed + "' WHERE seq = " + seq);
            if (seq < 6) {
                sql("UPDATE audit_entry SET prev_hash = '" + sealed + "' WHERE seq = " + (seq + 1));
            }
        }
        sql("UPDATE audit_head SET last_hash = (SELECT hash FROM audit_entry WHERE seq = 6)");

        assertBroken(verify("a1:" + KEY_A, Optional.empty()), 1, "oauth.audit.unkeyed-through (0)");
        assertThat(verify("a1:" + KEY_A, Optional.empty(), 3).intact()).isTrue();
        assertBroken(verify("a1:" + KEY_A, Optional.empty(), 2), 3, "not sealed with a key");
    }

    @Test
    void entriesSealedWithAKeyTheServiceNoLongerHoldsAreNamedAsSuch() {
        write("a1:" + KEY_A, "a1", 3);

        assertBroken(verify("b1:" + KEY_B, Optional.empty()), 1, "which oauth.audit.keys does not hold");
    }

    @Test
    void aCutTailIsFoundByTheHeadOrByTheLoggedCheckpoint() throws SQLException {
        write("a1:" + KEY_A, "a1", 8);
        String hashOf8 = hash(8);
        sql("DELETE FROM audit_entry WHERE seq > 6");
        ChainVerification headStillSays8 = verify("a1:" + KEY_A, Optional.empty());
        assertThat(headStillSays8.intact()).isFalse();
        assertThat(headStillSays8.problem()).contains("the chain ends before entry 8");

        // The head moved back too: the database alone looks whole, and the checkpoint the log kept does not.
        sql("UPDATE audit_head SET last_seq = 6, last_hash = (SELECT hash FROM audit_entry WHERE seq = 6)");
        assertThat(verify("a1:" + KEY_A, Optional.empty()).intact()).isTrue();
        ChainVerification checked = verify("a1:" + KEY_A, Optional.of(new Checkpoint(8, hashOf8)));
        assertThat(checked.intact()).isFalse();
        assertThat(checked.problem()).contains("its tail was cut");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void write(String keys, String active, int count) {
        for (AuditEvent event : events(count)) {
            inTransaction(keys, active, audit -> audit.record(event));
        }
    }

    private ChainVerification verify(String keys, Optional<Checkpoint> checkpoint) {
        return verify(keys, checkpoint, 0);
    }

    private ChainVerification verify(String keys, Optional<Checkpoint> checkpoint, long unkeyedThrough) {
        return db.requiresNew(() -> audit(db.entityManager(), keys, keys.substring(0, keys.indexOf(':')), unkeyedThrough)
                .verify(checkpoint));
    }

    private static List<AuditEvent> events(int count) {
        return IntStream.range(0, count).mapToObj(i -> AuditEvent.of("token.served", "backend-" + i,
                UUID.randomUUID().toString(), "client_credentials").withRequestId("req-" + i)).toList();
    }

    /** The service's audit, as the container would run one of its methods: in a transaction of its own. */
    private <T> T inTransaction(String keys, String active, Function<DefaultAuditService, T> work) {
        return db.requiresNew(() -> work.apply(audit(db.entityManager(), keys, active)));
    }

    private static DefaultAuditService audit(EntityManager em, String keys, String active) {
        return audit(em, keys, active, 0);
    }

    private static DefaultAuditService audit(EntityManager em, String keys, String active, long unkeyedThrough) {
        AuditRepository repository = AuditRepositories.on(em);
        AuditKeys auditKeys = new AuditKeys();
        auditKeys.config = new SmallRyeConfigBuilder().withSources(new MapBackedConfigSource("test",
                Map.of(AuditKeys.KEYS, keys, AuditKeys.ACTIVE, active, AuditKeys.UNKEYED_THROUGH,
                        String.valueOf(unkeyedThrough))) {
        }).build();
        auditKeys.load();
        DefaultAuditService audit = new DefaultAuditService();
        audit.repository = repository;
        audit.keys = auditKeys;
        audit.archives = new AuditArchives();
        audit.archives.repository = repository;
        audit.archives.keys = auditKeys;
        audit.clock = java.time.Clock.systemUTC();
        audit.metrics = new ServiceMetrics() {
            @Override
            public void auditEntry() {
                // counting entries is the container's metrics registry's; nothing to count here
            }
        };
        return audit;
    }

    private static void assertBroken(ChainVerification verification, long seq, String problem) {
        assertThat(verification.intact()).as("broken").isFalse();
        assertThat(verification.firstBrokenSeq()).isEqualTo(seq);
        assertThat(verification.problem()).contains(problem);
    }

    private String hash(long seq) throws SQLException {
        try (Connection connection = db.connection();
             var statement = connection.prepareStatement("SELECT hash FROM audit_entry WHERE seq = ?")) {
            statement.setLong(1, seq);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    /** The purge's archiving step, as its batch runs it: in a transaction, into {@code dir}. */
    private int archive(String keys, Path dir, int most) {
        return db.requiresNew(() -> {
            DefaultAuditService audit = audit(db.entityManager(), keys, keys.substring(0, keys.indexOf(':')));
            audit.archives.directory = dir;
            audit.archives.clock = java.time.Clock.systemUTC();
            return audit.archives.archiveNext(Instant.now().plusSeconds(1), most);
        });
    }

    private ArchiveVerification verifyArchive(String keys, String file) {
        return db.requiresNew(() -> audit(db.entityManager(), keys, keys.substring(0, keys.indexOf(':')))
                .verifyArchive(new java.io.StringReader(file)));
    }

    private long count(String sql) {
        return db.supports(() -> ((Number) db.entityManager().createNativeQuery(sql).getSingleResult()).longValue());
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = db.connection(); var run = connection.createStatement()) {
            run.execute(statement);
        }
    }

    private static String key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Installs that finish while an append is in flight share the next one (a group commit): one append is held inside
     * its transaction while 15 more callers arrive; once it commits, the 15 go in one transaction, each caller gets its
     * own entry, and the chain verifies.
     */
    @Test
    void archivedEntriesLeaveTheDatabaseAndTheChainStillVerifiesAnchoredByTheArchive(@TempDir Path dir) throws Exception {
        write("a1:" + KEY_A, "a1", 30);

        int archived = archive("a1:" + KEY_A, dir, 25);
        write("a1:" + KEY_A, "a1", 2);

        assertThat(archived).isEqualTo(25);
        assertThat(count("SELECT COUNT(*) FROM audit_entry")).isEqualTo(7);
        ChainVerification verified = verify("a1:" + KEY_A, Optional.empty());
        assertThat(verified.intact()).as(String.valueOf(verified.problem())).isTrue();
        assertThat(verified.entriesChecked()).isEqualTo(7);
        assertThat(verified.anchoredBy()).isEqualTo("audit-000000000001-000000000025.ndjson");

        Path file = dir.resolve(verified.anchoredBy());
        ArchiveVerification alone = verifyArchive("a1:" + KEY_A, Files.readString(file));
        assertThat(alone.intact()).as(String.valueOf(alone.problem())).isTrue();
        assertThat(alone.entriesChecked()).isEqualTo(25);
        assertThat(alone.firstSeq()).isEqualTo(1);
        assertThat(alone.lastSeq()).isEqualTo(25);
    }

    @Test
    void aChangedOrRemovedArchiveLineIsFoundWhereItIs(@TempDir Path dir) throws Exception {
        write("a1:" + KEY_A, "a1", 10);
        archive("a1:" + KEY_A, dir, 10);
        List<String> lines = Files.readAllLines(dir.resolve("audit-000000000001-000000000010.ndjson"));

        List<String> changed = new ArrayList<>(lines);
        changed.set(4, changed.get(4).replace("\"outcome\":\"client_credentials\"", "\"outcome\":\"refresh_token\""));
        ArchiveVerification edited = verifyArchive("a1:" + KEY_A, String.join("\n", changed));
        assertThat(edited.intact()).isFalse();
        assertThat(edited.firstBrokenLine()).isEqualTo(5);
        assertThat(edited.problem()).isEqualTo("entry 4 was changed after it was written");

        List<String> shortened = new ArrayList<>(lines);
        shortened.remove(10); // the last entry
        ArchiveVerification cut = verifyArchive("a1:" + KEY_A, String.join("\n", shortened));
        assertThat(cut.intact()).isFalse();
        assertThat(cut.problem()).contains("the file ends before the entry its header says is its last (10)");

        List<String> header = new ArrayList<>(lines);
        header.set(0, header.get(0).replace("\"entries\":10", "\"entries\":9"));
        assertThat(verifyArchive("a1:" + KEY_A, String.join("\n", header)).problem())
                .isEqualTo("the header was changed after it was written");
        assertThat(verifyArchive("a1:" + KEY_A, "").problem()).isEqualTo("the file is empty");
    }

    @Test
    void entriesRemovedWithoutAnArchiveOrBehindAForgedArchiveRecordAreFound(@TempDir Path dir) throws SQLException {
        write("a1:" + KEY_A, "a1", 10);
        sql("DELETE FROM audit_entry WHERE seq <= 3");
        assertBroken(verify("a1:" + KEY_A, Optional.empty()), 1,
                "entries 1 to 3 are not in the database, and no archive holds them");

        freshDatabase();
        write("a1:" + KEY_A, "a1", 10);
        archive("a1:" + KEY_A, dir, 4);
        // A database writer without the key deletes more and moves the archive's record to cover the gap.
        sql("DELETE FROM audit_entry WHERE seq <= 6");
        sql("UPDATE audit_archive SET last_seq = 6, last_hash = (SELECT prev_hash FROM audit_entry WHERE seq = 7)");
        assertBroken(verify("a1:" + KEY_A, Optional.empty()), 6, "the record of archive "
                + "audit-000000000001-000000000004.ndjson was changed after it was written (or is sealed with a key "
                + "oauth.audit.keys does not hold)");
    }

    @Test
    void entriesOfCallersWhoArriveTogetherShareOneAppendAndTheChainStaysIntact() throws Exception {
        HeldAppends held = new HeldAppends("a1:" + KEY_A, "a1", event -> false);
        List<Future<AuditRecord>> callers = held.firstThen(15);

        Set<Long> seqs = new HashSet<>();
        for (Future<AuditRecord> caller : callers) {
            seqs.add(caller.get(10, TimeUnit.SECONDS).seq());
        }
        assertThat(seqs).as("every caller its own entry").hasSize(16);
        assertThat(held.batchSizes).containsExactly(1, 15);
        ChainVerification verified = verify("a1:" + KEY_A, Optional.empty());
        assertThat(verified.intact()).as(String.valueOf(verified.problem())).isTrue();
        assertThat(verified.entriesChecked()).isEqualTo(16);
    }

    @Test
    void anEntryTheDatabaseRefusesDoesNotTakeTheOthersInItsAppendWithIt() throws Exception {
        HeldAppends held = new HeldAppends("a1:" + KEY_A, "a1", event -> event.actor().equals("backend-2"));
        List<Future<AuditRecord>> callers = held.firstThen(4);

        assertThat(callers.get(0).get(10, TimeUnit.SECONDS).actor()).isEqualTo("backend-first");
        assertThat(callers.get(3)).as("backend-2's entry").failsWithin(10, TimeUnit.SECONDS);
        for (int i : new int[]{1, 2, 4}) {
            assertThat(callers.get(i).get(10, TimeUnit.SECONDS).actor()).isEqualTo("backend-" + (i - 1));
        }
        assertThat(held.batchSizes).as("the shared append refused, then one each").containsExactly(1, 4);
        assertThat(verify("a1:" + KEY_A, Optional.empty()).entriesChecked()).isEqualTo(4);
    }

    @Test
    void anEntryWithFieldsLongerThanTheirColumnsIsKeptCutToThemAndStillVerifies() {
        AuditEvent longWinded = new AuditEvent("a".repeat(80), "s".repeat(300), "i".repeat(50), "o".repeat(60),
                "r".repeat(500), "q".repeat(100), "d".repeat(1200), "p".repeat(50));

        AuditRecord kept = inTransaction("a1:" + KEY_A, "a1", audit -> audit.record(longWinded));

        assertThat(List.of(kept.action().length(), kept.actor().length(), kept.instanceId().length(),
                kept.outcome().length(), kept.appId().length())).containsExactly(60, 200, 36, 40, 36);
        assertThat(kept.actor()).isEqualTo("s".repeat(200));
        ChainVerification verified = verify("a1:" + KEY_A, Optional.empty());
        assertThat(verified.intact()).as(String.valueOf(verified.problem())).isTrue();
        assertThat(verified.entriesChecked()).isEqualTo(1);
    }

    /**
     * {@link GroupedAppends} over the service on H2, each call in a transaction of its own as the EJB container would
     * run it; the first append waits inside its transaction until told, and entries {@code refused} fail theirs.
     */
    private final class HeldAppends {

        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        private final CountDownLatch release = new CountDownLatch(1);
        private final GroupedAppends appends = new GroupedAppends();

        HeldAppends(String keys, String active, Predicate<AuditEvent> refused) {
            appends.trail = new AuditService() {
                @Override
                public AuditRecord record(AuditEvent event) {
                    if (refused.test(event)) {
                        throw new IllegalStateException("refused by the database");
                    }
                    return inTransaction(keys, active, audit -> audit.record(event));
                }

                @Override
                public List<AuditRecord> recordAll(List<AuditEvent> events) {
                    batchSizes.add(events.size());
                    return inTransaction(keys, active, audit -> {
                        List<AuditRecord> records = audit.recordAll(events);
                        awaitRelease();
                        if (events.stream().anyMatch(refused)) {
                            throw new IllegalStateException("refused by the database");
                        }
                        return records;
                    });
                }

                @Override
                public List<AuditRecord> find(AuditFilter filter) {
                    return inTransaction(keys, active, audit -> audit.find(filter));
                }

                @Override
                public List<AuditRecord> recent(String instanceId, int limit) {
                    return inTransaction(keys, active, audit -> audit.recent(instanceId, limit));
                }

                @Override
                public long count(String action, Instant since) {
                    return inTransaction(keys, active, audit -> audit.count(action, since));
                }

                @Override
                public ChainVerification verify(Optional<Checkpoint> checkpoint) {
                    return inTransaction(keys, active, audit -> audit.verify(checkpoint));
                }

                @Override
                public void recordVerification(ChainVerification verified, String actor, String requestId) {
                    throw new UnsupportedOperationException("not used by the appends under test");
                }

                @Override
                public Optional<io.wixoauth.api.audit.LastVerification> lastVerification() {
                    throw new UnsupportedOperationException("not used by the appends under test");
                }

                @Override
                public io.wixoauth.api.audit.ArchiveVerification verifyArchive(java.io.Reader archive) {
                    return inTransaction(keys, active, audit -> audit.verifyArchive(archive));
                }
            };
        }

        /** One caller's append held in its transaction, then {@code more} callers queued behind it, then let go. */
        List<Future<AuditRecord>> firstThen(int more) throws InterruptedException {
            ExecutorService callers = Executors.newFixedThreadPool(more + 1);
            try {
                List<Future<AuditRecord>> futures = new ArrayList<>();
                futures.add(callers.submit(() -> appends.append(event("backend-first"))));
                awaitThat(() -> !batchSizes.isEmpty());
                for (int i = 0; i < more; i++) {
                    String actor = "backend-" + i;
                    futures.add(callers.submit(() -> appends.append(event(actor))));
                }
                awaitThat(() -> threadsWaitingToAppend() == more + 1); // the first, held, and the queued behind it
                release.countDown();
                return futures;
            } finally {
                callers.shutdown();
            }
        }

        private void awaitThat(BooleanSupplier condition) throws InterruptedException {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError("the callers did not line up within 10 s");
                }
                Thread.sleep(1);
            }
        }

        private void awaitRelease() {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private long threadsWaitingToAppend() {
            return Thread.getAllStackTraces().entrySet().stream()
                    .filter(thread -> thread.getKey().getState() == Thread.State.WAITING)
                    .filter(thread -> Arrays.stream(thread.getValue())
                            .anyMatch(frame -> frame.getClassName().equals(GroupedAppends.class.getName())))
                    .count();
        }
    }

    private static AuditEvent event(String actor) {
        return AuditEvent.of("install.completed", actor, UUID.randomUUID().toString(), "refresh token stored");
    }
}

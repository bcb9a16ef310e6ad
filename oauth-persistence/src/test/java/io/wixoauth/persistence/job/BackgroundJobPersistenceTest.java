package io.wixoauth.persistence.job;

import io.wixoauth.persistence.TestDatabases;
import io.wixoauth.persistence.TestDatabases.TestDatabase;
import io.wixoauth.persistence.schema.SchemaMigration;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the retention purge asks of the jobs table (when the last purge began; finished jobs past a horizon), on both databases. */
class BackgroundJobPersistenceTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private TestDatabase db;
    private EntityManagerFactory emf;

    static Stream<Supplier<TestDatabase>> databases() {
        return TestDatabases.all();
    }

    @AfterEach
    void drop() {
        if (emf != null) {
            emf.close();
        }
        if (db != null) {
            db.drop().run();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theLastStartOfAKindIsTheNewestJobOfThatKind(Supplier<TestDatabase> database) {
        start(database);
        java.util.Optional<Instant> none = inTransaction(r -> r.lastStarted("retention"));
        assertThat(none).isEmpty();

        add("retention", T0, T0.plusSeconds(5));
        add("retention", T0.plus(Duration.ofHours(1)), null);
        add("bulk-refresh", T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(2)));

        java.util.Optional<Instant> last = inTransaction(r -> r.lastStarted("retention"));
        assertThat(last).contains(T0.plus(Duration.ofHours(1)));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void onlyJobsThatEndedBeforeTheCutOffAreRemovedAndARunningOneNever(Supplier<TestDatabase> database) {
        start(database);
        String old = add("import", T0, T0.plusSeconds(30));
        String recent = add("import", T0.plus(Duration.ofDays(20)), T0.plus(Duration.ofDays(20)));
        String running = add("retention", T0, null);
        Instant cutoff = T0.plus(Duration.ofDays(10));

        long counted = inTransaction(r -> r.countFinishedBefore(cutoff));
        int removed = inTransaction(r -> r.deleteFinishedBefore(cutoff, 500));

        assertThat(counted).isEqualTo(1);
        assertThat(removed).isEqualTo(1);
        assertThat(exists(old)).isFalse();
        assertThat(exists(recent)).isTrue();
        assertThat(exists(running)).isTrue();
    }

    private boolean exists(String id) {
        java.util.Optional<BackgroundJob> found = inTransaction(r -> r.find(id));
        return found.isPresent();
    }

    private String add(String kind, Instant created, Instant finished) {
        String id = UUID.randomUUID().toString();
        inTransaction(r -> {
            BackgroundJob job = new BackgroundJob(id, kind, 0, "test", "test", created);
            r.addNow(job);
            if (finished != null) {
                job.finish(finished);
            }
            return null;
        });
        return id;
    }

    private void start(Supplier<TestDatabase> database) {
        db = database.get();
        SchemaMigration.migrate(db.dataSource());
        emf = Persistence.createEntityManagerFactory("oauth", db.jpaProperties());
    }

    private <T> T inTransaction(Function<BackgroundJobRepository, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            BackgroundJobRepository repository = new BackgroundJobRepository();
            repository.em = em;
            em.getTransaction().begin();
            T result = work.apply(repository);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }
}

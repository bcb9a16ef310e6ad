package io.wixoauth.persistence.proxy;

import io.wixoauth.persistence.TestDatabases;
import io.wixoauth.persistence.TestDatabases.TestDatabase;
import io.wixoauth.persistence.schema.SchemaMigration;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy's per-instance call budget as the nodes share it, on both databases the service supports. */
class CallBudgetPersistenceTest {

    private static final long MINUTE = 29_000_000L;
    private static final long NOW_MS = MINUTE * 60_000 + 5_000;

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
    void blocksAreTakenUntilTheMinutesLimitAndTheNextMinuteStartsAfresh(Supplier<TestDatabase> database) {
        String instance = start(database);

        assertThat(inTransaction(r -> r.take(instance, MINUTE, 10, 25, NOW_MS)).calls()).isEqualTo(10);
        assertThat(inTransaction(r -> r.take(instance, MINUTE, 10, 25, NOW_MS)).calls()).isEqualTo(10);
        assertThat(inTransaction(r -> r.take(instance, MINUTE, 10, 25, NOW_MS)).calls()).as("what is left").isEqualTo(5);
        assertThat(inTransaction(r -> r.take(instance, MINUTE, 10, 25, NOW_MS)).calls()).as("spent").isZero();
        assertThat(inTransaction(r -> r.take(instance, MINUTE + 1, 10, 25, NOW_MS + 60_000)).calls())
                .as("the next minute").isEqualTo(10);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void nodesTakingAtOnceNeverTakeMoreThanTheLimitTogether(Supplier<TestDatabase> database) throws Exception {
        String instance = start(database);
        ExecutorService nodes = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> taken = new ArrayList<>();
            for (int node = 0; node < 8; node++) {
                taken.add(nodes.submit(() -> {
                    int mine = 0;
                    for (int block = 0; block < 20; block++) {
                        mine += takeRacing(instance);
                    }
                    return mine;
                }));
            }
            int total = 0;
            for (Future<Integer> node : taken) {
                total += node.get();
            }
            assertThat(total).as("calls taken by 8 nodes asking 20 times each for 3").isEqualTo(180);
        } finally {
            nodes.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aBackOffHoldsEveryNodeUntilItEndsAndALaterOneIsKept(Supplier<TestDatabase> database) {
        String instance = start(database);
        inTransaction(r -> r.take(instance, MINUTE, 1, 180, NOW_MS));

        inTransaction(r -> { r.blockUntil(instance, NOW_MS + 30_000); return null; });
        inTransaction(r -> { r.blockUntil(instance, NOW_MS + 10_000); return null; });

        CallBudgetRepository.Grant held = inTransaction(r -> r.take(instance, MINUTE, 5, 180, NOW_MS + 1_000));
        assertThat(held.calls()).isZero();
        assertThat(held.blockedUntilMs()).as("the later back-off").isEqualTo(NOW_MS + 30_000);
        assertThat(inTransaction(r -> r.take(instance, MINUTE + 1, 5, 180, NOW_MS + 30_000)).calls())
                .as("once it is over").isEqualTo(5);
    }

    /** One node's request for a block of 3; a node that lost the race to create the row asks again, as CallBudget does. */
    private int takeRacing(String instance) {
        try {
            return inTransaction(r -> r.take(instance, MINUTE, 3, 180, NOW_MS)).calls();
        } catch (RuntimeException lostTheInsertRace) {
            return inTransaction(r -> r.take(instance, MINUTE, 3, 180, NOW_MS)).calls();
        }
    }

    private String start(Supplier<TestDatabase> database) {
        db = database.get();
        SchemaMigration.migrate(db.dataSource());
        emf = Persistence.createEntityManagerFactory("oauth", db.jpaProperties());
        return UUID.randomUUID().toString();
    }

    private <T> T inTransaction(Function<CallBudgetRepository, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            CallBudgetRepository repository = new CallBudgetRepository();
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

package io.wixoauth.persistence.token;

import io.wixoauth.api.Secret;
import io.wixoauth.persistence.TestDatabases;
import io.wixoauth.persistence.TestDatabases.TestDatabase;
import io.wixoauth.persistence.crypto.TestKeys;
import io.wixoauth.persistence.crypto.TokenEncryption;
import io.wixoauth.persistence.schema.SchemaMigration;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** How nodes share fetched tokens and fetch leases through the database, on both databases the service supports. */
class SharedTokenPersistenceTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final String APP = "8f2a1c3e-1111-4222-8333-944445555666";

    private TestDatabase db;
    private EntityManagerFactory emf;

    @BeforeAll
    static void keys() {
        TokenEncryption.install(TestKeys.ring("test"));
    }

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
    void aPublishedTokenIsStoredSealedAndTheLeaseIsFreed(Supplier<TestDatabase> database) throws SQLException {
        String instanceId = start(database);
        Secret token = Secret.of("OauthNG.JWS." + UUID.randomUUID());

        inTransaction(repository -> {
            assertThat(repository.tryLease(instanceId, "node-a", NOW, NOW.plusSeconds(10))).isTrue();
            assertThat(repository.tryLease(instanceId, "node-b", NOW, NOW.plusSeconds(10))).as("leased to a").isFalse();
            assertThat(repository.publish(instanceId, APP, "node-a", token, "refresh_token", NOW.plusSeconds(300))).isTrue();
        });

        SharedAccessToken shared = read(instanceId);
        assertThat(shared.token()).contains(token);
        assertThat(shared.getSource()).isEqualTo("refresh_token");
        assertThat(shared.appId()).as("the app the token is of").contains(APP);
        assertThat(shared.getExpiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(column(instanceId, "token")).startsWith("v1:test:").doesNotContain(token.reveal());
        inTransaction(repository -> assertThat(repository.tryLease(instanceId, "node-b", NOW, NOW.plusSeconds(10)))
                .as("free once a published").isTrue());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anOlderTokenNeverReplacesANewerOneButItsLeaseIsStillFreed(Supplier<TestDatabase> database) throws SQLException {
        String instanceId = start(database);
        Secret newer = Secret.of("OauthNG.JWS.newer");

        inTransaction(repository -> {
            repository.tryLease(instanceId, "node-a", NOW, NOW.plusSeconds(10));
            repository.publish(instanceId, APP, "node-a", newer, "refresh_token", NOW.plusSeconds(300));
            repository.tryLease(instanceId, "node-b", NOW, NOW.plusSeconds(10));
            assertThat(repository.publish(instanceId, APP, "node-b", Secret.of("OauthNG.JWS.older"), "client_credentials",
                    NOW.plusSeconds(200))).as("its lease was its own: what it fetched is not stale").isTrue();
        });

        assertThat(read(instanceId).token()).contains(newer);
        assertThat(column(instanceId, "lease_holder")).isNull();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFetchWhoseLeaseWasTakenOverPublishesNothingAndLeavesTheOtherLeaseAlone(Supplier<TestDatabase> database)
            throws SQLException {
        String instanceId = start(database);

        inTransaction(repository -> {
            repository.tryLease(instanceId, "node-a", NOW.minus(Duration.ofMinutes(1)), NOW.minusSeconds(50));
            // node-a's lease ran out and node-b took it: node-a's late answer may be stale.
            repository.tryLease(instanceId, "node-b", NOW, NOW.plusSeconds(10));
            assertThat(repository.publish(instanceId, APP, "node-a", Secret.of("OauthNG.JWS.late"), "refresh_token",
                    NOW.plusSeconds(300))).isFalse();
        });

        assertThat(read(instanceId).token()).isEmpty();
        assertThat(column(instanceId, "lease_holder")).isEqualTo("node-b");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFetchInFlightWhenTheInstallationChangedPublishesNothing(Supplier<TestDatabase> database) throws SQLException {
        String instanceId = start(database);

        inTransaction(repository -> {
            repository.tryLease(instanceId, "node-a", NOW, NOW.plusSeconds(10));
            repository.publish(instanceId, APP, "node-a", Secret.of("OauthNG.JWS.first"), "refresh_token", NOW.plusSeconds(300));
            repository.tryLease(instanceId, "node-a:2", NOW, NOW.plusSeconds(10));
            // An operator switched the installation to client credentials while node-a:2 was asking Wix.
            repository.forget(java.util.List.of(instanceId));
            assertThat(repository.tryLease(instanceId, "node-b", NOW, NOW.plusSeconds(10)))
                    .as("the lease went with the token").isTrue();
            assertThat(repository.publish(instanceId, APP, "node-a:2", Secret.of("OauthNG.JWS.stale"), "refresh_token",
                    NOW.plusSeconds(600))).isFalse();
        });

        assertThat(read(instanceId).token()).as("neither the old token nor the stale one").isEmpty();
        assertThat(column(instanceId, "lease_holder")).isEqualTo("node-b");

        inTransaction(repository -> assertThat(repository.publish(instanceId, APP, "node-b",
                Secret.of("OauthNG.JWS.current"), "client_credentials", NOW.plusSeconds(300))).isTrue());
        assertThat(read(instanceId).token()).contains(Secret.of("OauthNG.JWS.current"));
        assertThat(read(instanceId).getSource()).isEqualTo("client_credentials");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLeaseLetGoWithoutATokenLeavesNoRowButOneWithATokenKeepsIt(Supplier<TestDatabase> database) throws SQLException {
        String unknown = start(database);
        String known = UUID.randomUUID().toString();

        inTransaction(repository -> {
            repository.tryLease(unknown, "node-a", NOW, NOW.plusSeconds(10));
            repository.releaseLease(unknown, "node-a");
            repository.tryLease(known, "node-a", NOW, NOW.plusSeconds(10));
            repository.publish(known, APP, "node-a", Secret.of("OauthNG.JWS.kept"), "client_credentials", NOW.plusSeconds(300));
            repository.tryLease(known, "node-a", NOW, NOW.plusSeconds(10));
            repository.releaseLease(known, "node-a");
        });

        assertThat(rows(unknown)).as("a failed first fetch leaves nothing").isZero();
        assertThat(read(known).token()).contains(Secret.of("OauthNG.JWS.kept"));
        assertThat(column(known, "lease_holder")).isNull();
    }

    private String start(Supplier<TestDatabase> database) {
        db = database.get();
        SchemaMigration.migrate(db.dataSource());
        emf = Persistence.createEntityManagerFactory("oauth", db.jpaProperties());
        return UUID.randomUUID().toString();
    }

    private void inTransaction(Consumer<SharedTokenRepository> work) {
        EntityManager em = emf.createEntityManager();
        SharedTokenRepository repository = new SharedTokenRepository();
        repository.em = em;
        em.getTransaction().begin();
        work.accept(repository);
        em.getTransaction().commit();
        em.close();
    }

    private SharedAccessToken read(String instanceId) {
        EntityManager em = emf.createEntityManager();
        SharedTokenRepository repository = new SharedTokenRepository();
        repository.em = em;
        try {
            return repository.find(instanceId).orElseThrow();
        } finally {
            em.close();
        }
    }

    private int rows(String instanceId) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
             ResultSet row = connection.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM shared_access_token WHERE instance_id = '" + instanceId + "'")) {
            row.next();
            return row.getInt(1);
        }
    }

    private String column(String instanceId, String column) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
             ResultSet row = connection.createStatement().executeQuery(
                     "SELECT " + column + " FROM shared_access_token WHERE instance_id = '" + instanceId + "'")) {
            assertThat(row.next()).isTrue();
            return row.getString(1);
        }
    }
}

package io.wixoauth.persistence.installation;

import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.TestDatabases;
import io.wixoauth.persistence.TestDatabases.TestDatabase;
import io.wixoauth.persistence.crypto.TestKeys;
import io.wixoauth.persistence.crypto.TokenEncryption;
import io.wixoauth.api.Secret;
import io.wixoauth.persistence.schema.SchemaMigration;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The one set of migrations and the JPA mapping, on both databases the service supports. */
class InstallationPersistenceTest {

    @BeforeAll
    static void keys() {
        TokenEncryption.install(TestKeys.ring("test"));
    }

    static Stream<Supplier<TestDatabase>> databases() {
        return TestDatabases.all();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void migrationsRunAndAreIdempotent(Supplier<TestDatabase> database) {
        TestDatabase db = database.get();
        try {
            assertThat(SchemaMigration.migrate(db.dataSource()).migrationsExecuted).isPositive();
            assertThat(SchemaMigration.migrate(db.dataSource()).migrationsExecuted).as("second start").isZero();
        } finally {
            db.drop().run();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anInstallationRoundTripsWithReadableTimestamps(Supplier<TestDatabase> database) throws SQLException {
        TestDatabase db = database.get();
        SchemaMigration.migrate(db.dataSource());
        EntityManagerFactory emf = Persistence.createEntityManagerFactory("oauth", db.jpaProperties());
        try {
            String instanceId = UUID.randomUUID().toString();
            Instant created = Instant.parse("2026-01-02T03:04:05.123456Z");
            EntityManager em = emf.createEntityManager();
            em.getTransaction().begin();
            new InstallationRepository(em).add(new Installation(InstanceId.of(instanceId), UUID.randomUUID().toString(),
                    InstallationMode.CLIENT_CREDENTIALS, created));
            em.getTransaction().commit();
            em.close();

            Installation found = new InstallationRepository(emf.createEntityManager())
                    .findByInstanceId(InstanceId.of(instanceId)).orElseThrow();
            assertThat(found.getCreatedAt()).isEqualTo(created.truncatedTo(ChronoUnit.MICROS));
            assertThat(found.getState()).isEqualTo(InstallationState.INSTALLED);
            try (Connection connection = db.dataSource().getConnection();
                 ResultSet row = connection.createStatement().executeQuery(
                         "SELECT created_at FROM installation WHERE instance_id = '" + instanceId + "'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getObject(1, java.time.OffsetDateTime.class).toInstant()).isEqualTo(created);
            }
        } finally {
            emf.close();
            db.drop().run();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theRefreshTokenIsNeverStoredInPlainTextAndACopiedCiphertextIsRefused(Supplier<TestDatabase> database)
            throws SQLException {
        TestDatabase db = database.get();
        SchemaMigration.migrate(db.dataSource());
        EntityManagerFactory emf = Persistence.createEntityManagerFactory("oauth", db.jpaProperties());
        try {
            InstanceId first = InstanceId.of(UUID.randomUUID().toString());
            InstanceId second = InstanceId.of(UUID.randomUUID().toString());
            Secret token = Secret.of("JWS.refresh." + UUID.randomUUID());
            EntityManager em = emf.createEntityManager();
            em.getTransaction().begin();
            for (InstanceId id : new InstanceId[]{first, second}) {
                Installation installation = new Installation(id, UUID.randomUUID().toString(), InstallationMode.REFRESH_TOKEN, Instant.now());
                installation.completeInstall(id == first ? token : Secret.of("JWS.refresh.other"), Instant.now());
                em.persist(installation);
            }
            em.getTransaction().commit();
            em.close();

            String stored;
            try (Connection connection = db.dataSource().getConnection()) {
                ResultSet row = connection.createStatement().executeQuery(
                        "SELECT refresh_token FROM installation WHERE instance_id = '" + first.value() + "'");
                assertThat(row.next()).isTrue();
                stored = row.getString(1);
                ResultSet anyPlain = connection.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM installation WHERE refresh_token LIKE '%" + token.reveal() + "%'");
                anyPlain.next();
                assertThat(anyPlain.getInt(1)).as("rows holding the token in plain text").isZero();
                connection.createStatement().executeUpdate("UPDATE installation SET refresh_token = '" + stored
                        + "' WHERE instance_id = '" + second.value() + "'");
            }
            assertThat(stored).startsWith("v1:test:").doesNotContain(token.reveal());

            EntityManager reader = emf.createEntityManager();
            assertThat(reader.find(Installation.class, first.value()).refreshToken()).contains(token);
            Installation victim = reader.find(Installation.class, second.value());
            assertThat(victim.refreshToken()).as("a ciphertext copied from another row").isEmpty();
            assertThat(victim.refreshTokenProblem()).isEqualTo("sealed for another installation");
        } finally {
            emf.close();
            db.drop().run();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void onlyInstallationsWixNeverConfirmedArePastTheirTimeGo(Supplier<TestDatabase> database) {
        TestDatabase db = database.get();
        SchemaMigration.migrate(db.dataSource());
        EntityManagerFactory emf = Persistence.createEntityManagerFactory("oauth", db.jpaProperties());
        try {
            Instant now = Instant.parse("2026-06-01T12:00:00Z");
            InstanceId expired = InstanceId.of(UUID.randomUUID().toString());
            InstanceId stillWaiting = InstanceId.of(UUID.randomUUID().toString());
            InstanceId confirmed = InstanceId.of(UUID.randomUUID().toString());
            InstanceId toldByWix = InstanceId.of(UUID.randomUUID().toString());
            EntityManager em = emf.createEntityManager();
            em.getTransaction().begin();
            InstallationRepository repository = new InstallationRepository(em);
            repository.add(claimed(expired, now.minusSeconds(1), now));
            repository.add(claimed(stillWaiting, now.plusSeconds(60), now));
            Installation vouchedFor = claimed(confirmed, now.minusSeconds(1), now);
            vouchedFor.confirm(now);
            repository.add(vouchedFor);
            repository.add(new Installation(toldByWix, "app", InstallationMode.CLIENT_CREDENTIALS, now.minusSeconds(3600)));
            em.getTransaction().commit();

            em.getTransaction().begin();
            assertThat(repository.deleteUnconfirmedBefore(now)).isEqualTo(1);
            em.getTransaction().commit();
            em.close();

            InstallationRepository after = new InstallationRepository(emf.createEntityManager());
            assertThat(after.findByInstanceId(expired)).isEmpty();
            assertThat(after.findByInstanceId(stillWaiting)).isPresent();
            assertThat(after.findByInstanceId(confirmed)).isPresent();
            assertThat(after.findByInstanceId(toldByWix)).isPresent();
        } finally {
            emf.close();
            db.drop().run();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void onlySitesUninstalledBeforeTheCutOffArePurgedEachLeavingATombstone(Supplier<TestDatabase> database) {
        TestDatabase db = database.get();
        SchemaMigration.migrate(db.dataSource());
        EntityManagerFactory emf = Persistence.createEntityManagerFactory("oauth", db.jpaProperties());
        try {
            Instant now = Instant.parse("2026-06-01T12:00:00Z");
            Instant cutoff = now.minus(java.time.Duration.ofDays(30));
            InstanceId longGone = InstanceId.of(UUID.randomUUID().toString());
            InstanceId justGone = InstanceId.of(UUID.randomUUID().toString());
            InstanceId installed = InstanceId.of(UUID.randomUUID().toString());
            EntityManager em = emf.createEntityManager();
            InstallationRepository repository = new InstallationRepository(em);
            em.getTransaction().begin();
            repository.add(uninstalled(longGone, now.minus(java.time.Duration.ofDays(31)), now));
            repository.add(uninstalled(justGone, now.minus(java.time.Duration.ofDays(1)), now));
            repository.add(new Installation(installed, "app", InstallationMode.CLIENT_CREDENTIALS, now.minusSeconds(3600 * 24 * 90)));
            em.getTransaction().commit();

            em.getTransaction().begin();
            assertThat(repository.countUninstalledBefore(cutoff)).isEqualTo(1);
            List<Installation> purged = repository.lockUninstalledBefore(cutoff, 500);
            assertThat(purged).extracting(Installation::getInstanceId).containsExactly(longGone.value());
            purged.forEach(i -> repository.replaceByTombstone(i, now));
            em.getTransaction().commit();
            em.close();

            InstallationRepository after = new InstallationRepository(emf.createEntityManager());
            assertThat(after.findByInstanceId(longGone)).isEmpty();
            assertThat(after.findByInstanceId(justGone)).isPresent();
            assertThat(after.findByInstanceId(installed)).isPresent();
            assertThat(after.tombstone(longGone)).contains(now.minus(java.time.Duration.ofDays(31)));
            assertThat(after.tombstone(justGone)).isEmpty();
            assertThat(after.tombstoned(List.of(longGone.value(), justGone.value()))).containsExactly(longGone.value());
        } finally {
            emf.close();
            db.drop().run();
        }
    }

    private static Installation uninstalled(InstanceId instanceId, Instant at, Instant now) {
        Installation installation = new Installation(instanceId, "app", InstallationMode.CLIENT_CREDENTIALS, now);
        installation.arrivedByWebhook(at.minusSeconds(3600), null);
        installation.uninstall(at, now);
        return installation;
    }

    private static Installation claimed(InstanceId instanceId, Instant until, Instant now) {
        Installation installation = new Installation(instanceId, "app", InstallationMode.CLIENT_CREDENTIALS_FALLBACK, now);
        installation.unconfirmedUntil(until);
        return installation;
    }
}

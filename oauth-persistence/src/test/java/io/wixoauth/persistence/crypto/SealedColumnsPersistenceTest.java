package io.wixoauth.persistence.crypto;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.TestDatabases;
import io.wixoauth.persistence.TestDatabases.TestDatabase;
import io.wixoauth.persistence.schema.SchemaMigration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which sealed values a key ring would orphan, asked of both databases the service supports. */
class SealedColumnsPersistenceTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    static Stream<Supplier<TestDatabase>> databases() {
        return TestDatabases.all();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRingWithoutAKeyStillSealingNeededValuesIsNamedWithTheirCounts(Supplier<TestDatabase> database) throws SQLException {
        TestDatabase db = database.get();
        try (Connection connection = db.dataSource().getConnection()) {
            SchemaMigration.migrate(db.dataSource());
            TokenCipher old = new TokenCipher(KeyRing.parse(TestKeys.entry("k1"), "k1"));
            TokenCipher current = new TokenCipher(KeyRing.parse(TestKeys.entry("k2"), "k2"));
            installation(connection, old);
            installation(connection, old);
            installation(connection, current);
            subscription(connection, old, old, NOW.minusSeconds(60)); // its previous secret no longer signs
            subscription(connection, current, old, NOW.plusSeconds(3600)); // its previous secret still signs
            sharedToken(connection, old);
            sharedToken(connection, current);

            Map<SealedColumns.Column, SealedColumns.Orphans> withoutK1 = SealedColumns.orphans(connection, Set.of("k2"), NOW);

            assertThat(withoutK1.keySet().stream().map(SealedColumns.Column::what)).containsExactly("refresh tokens",
                    "subscription secrets", "previous subscription secrets still signing");
            assertThat(withoutK1.values().stream().map(SealedColumns.Orphans::count)).containsExactly(2L, 1L, 1L);
            assertThat(withoutK1.values()).allSatisfy(orphans -> assertThat(orphans.exampleKeyId()).isEqualTo("k1"));
            assertThat(SealedColumns.orphans(connection, Set.of("k1", "k2"), NOW)).isEmpty();

            assertThat(SealedColumns.dropUnreadableSharedTokens(connection, Set.of("k2"))).isEqualTo(1);
            assertThat(SealedColumns.dropUnreadableSharedTokens(connection, Set.of("k2"))).isZero();
        } finally {
            db.drop().run();
        }
    }

    private static void installation(Connection connection, TokenCipher cipher) throws SQLException {
        String id = UUID.randomUUID().toString();
        insert(connection, "INSERT INTO installation (instance_id, app_id, mode, state, refresh_token, created_at, "
                + "updated_at, version) VALUES (?, 'app', 'REFRESH_TOKEN', 'INSTALLED', ?, ?, ?, 0)",
                id, cipher.seal(InstanceId.of(id), Secret.of("refresh-" + id)), NOW, NOW);
    }

    private static void subscription(Connection connection, TokenCipher secretCipher, TokenCipher previousCipher,
                                     Instant previousUntil) throws SQLException {
        String id = UUID.randomUUID().toString();
        insert(connection, "INSERT INTO relay_subscription (id, url, event_types, secret, previous_secret, "
                        + "previous_secret_until, state, created_at, created_by) VALUES (?, 'https://b.example', ',*,', "
                        + "?, ?, ?, 'ACTIVE', ?, 'ops')", id, secretCipher.seal(InstanceId.of(id), Secret.of("whsec_a")),
                previousCipher.seal(InstanceId.of(id), Secret.of("whsec_b")), previousUntil, NOW);
    }

    private static void sharedToken(Connection connection, TokenCipher cipher) throws SQLException {
        String id = UUID.randomUUID().toString();
        insert(connection, "INSERT INTO shared_access_token (instance_id, token, source, expires_at) VALUES (?, ?, "
                + "'client_credentials', ?)", id, cipher.seal(InstanceId.of(id), Secret.of("token-" + id)), NOW);
    }

    private static void insert(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                Object value = values[i] instanceof Instant at ? at.atOffset(ZoneOffset.UTC) : values[i];
                statement.setObject(i + 1, value);
            }
            statement.executeUpdate();
        }
    }
}

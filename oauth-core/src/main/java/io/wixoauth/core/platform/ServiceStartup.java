package io.wixoauth.core.platform;

import io.wixoauth.persistence.schema.SchemaMigration;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import io.wixoauth.persistence.crypto.KeyRing;
import io.wixoauth.persistence.crypto.SealedColumns;
import io.wixoauth.persistence.crypto.TokenEncryption;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.logging.Logger;

/**
 * Runs before the first request: has each component check its settings ({@link StartupCheck}), installs the
 * refresh-token key, then migrates the schema. A missing setting stops the
 * deployment with one line naming it.
 * <p>
 * The data source is defined here, with every value from MicroProfile Config ({@code oauth.db.*}), so the same build
 * runs on embedded H2 or PostgreSQL. The defaults sit in the annotation ({@code key:default}) because Payara resolves
 * it before the application's own microprofile-config.properties is visible. Bean-managed transactions: Flyway
 * commits its own work.
 */
@DataSourceDefinition(
        name = "java:app/jdbc/oauth",
        className = "${MPCONFIG=oauth.db.datasource-class:org.h2.jdbcx.JdbcDataSource}",
        url = "${MPCONFIG=oauth.db.url:jdbc:h2:file:./wix-oauth-data/db/oauth;DB_CLOSE_ON_EXIT=FALSE}",
        user = "${MPCONFIG=oauth.db.user:oauth}",
        password = "${MPCONFIG=oauth.db.password:oauth}",
        minPoolSize = 2,
        maxPoolSize = 32,
        // After a database outage or fail-over, pooled connections are dead: check each one (Connection.isValid) as it
        // is handed out, at most once a second, and when one is dead drop them all, so the service recovers by itself.
        properties = {
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
                "fish.payara.validate-atmost-once-period-in-seconds=1",
                "fish.payara.fail-all-connections=true"})
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ServiceStartup {

    private static final Logger LOG = Logs.of(ServiceStartup.class);

    @Resource(lookup = "java:app/jdbc/oauth")
    DataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    @Any
    Instance<StartupCheck> checks;

    private static final String TOKEN_KEYS = "oauth.token-encryption-keys";

    private volatile boolean ready;

    private KeyRing keyRing;

    @Inject
    Config config;

    @PostConstruct
    void start() {
        checks.forEach(ServiceStartup::run);
        installTokenEncryption();
        MigrateResult result = SchemaMigration.migrate(dataSource);
        LOG.info(() -> "Database schema at version " + (result.targetSchemaVersion != null
                ? result.targetSchemaVersion : result.initialSchemaVersion) + " (" + result.migrationsExecuted
                + " migrations applied now)");
        checkNothingSealedIsOrphaned();
        ready = true;
    }

    /** A component's first use validates its settings; CDI wraps the failure, so the one line is dug out here. */
    private static void run(StartupCheck check) {
        try {
            LOG.info(check.check());
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof MissingSettingException missing) {
                    LOG.severe(missing.getMessage());
                    throw missing;
                }
            }
            throw e;
        }
    }

    /** Refresh tokens are never written unencrypted: without a valid active 256-bit key the service does not start. */
    private void installTokenEncryption() {
        String keys = config.getOptionalValue(TOKEN_KEYS, String.class).orElse("");
        String active = config.getOptionalValue("oauth.token-encryption-active-key", String.class).orElse(null);
        try {
            KeyRing ring = KeyRing.parse(keys, active);
            TokenEncryption.install(ring);
            keyRing = ring;
            LOG.info(() -> "Refresh tokens are encrypted with key " + ring.activeKeyId());
        } catch (IllegalArgumentException e) {
            MissingSettingException problem = new MissingSettingException(e instanceof KeyRing.UnknownActiveKeyException
                    ? "oauth.token-encryption-active-key" : TOKEN_KEYS,
                    "is missing or invalid: " + e.getMessage());
            LOG.severe(problem.getMessage());
            throw problem;
        }
    }

    /**
     * A key may leave {@code oauth.token-encryption-keys} only once nothing still needed is sealed under it (the
     * re-encryption job moves everything to the active key): a service that started anyway would serve broken state,
     * refresh tokens it cannot use and events it cannot sign. Shared access tokens are a cache: those go.
     */
    private void checkNothingSealedIsOrphaned() {
        Set<String> ring = keyRing.keyIds();
        try (Connection connection = dataSource.getConnection()) {
            Map<SealedColumns.Column, SealedColumns.Orphans> orphans = SealedColumns.orphans(connection, ring, Instant.now(clock));
            if (!orphans.isEmpty()) {
                String held = orphans.entrySet().stream().map(o -> o.getValue().count() + " " + o.getKey().what()
                        + " (key " + o.getValue().exampleKeyId() + ")").collect(Collectors.joining(", "));
                MissingSettingException problem = MissingSettingException.refused(TOKEN_KEYS, "no longer holds a key "
                        + "that still seals " + held + ": put the key back, run the re-encryption job "
                        + "(POST /api/admin/jobs/reencryption) and remove the key once it is done; a value the job "
                        + "cannot open is an operator's to forget (forget-refresh-token, or delete the subscription)");
                LOG.severe(problem.getMessage());
                throw problem;
            }
            int dropped = SealedColumns.dropUnreadableSharedTokens(connection, ring);
            if (dropped > 0) {
                LOG.info(() -> dropped + " shared access tokens sealed under keys no longer held were dropped; "
                        + "they are fetched again when next asked for");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot check which keys sealed values are under", e);
        }
    }

    public boolean isReady() {
        return ready;
    }
}

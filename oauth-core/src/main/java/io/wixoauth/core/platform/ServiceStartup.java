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
import io.wixoauth.persistence.crypto.TokenEncryption;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
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
    @Any
    Instance<StartupCheck> checks;

    private volatile boolean ready;

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
        String keys = config.getOptionalValue("oauth.token-encryption-keys", String.class).orElse("");
        String active = config.getOptionalValue("oauth.token-encryption-active-key", String.class).orElse(null);
        try {
            KeyRing ring = KeyRing.parse(keys, active);
            TokenEncryption.install(ring);
            LOG.info(() -> "Refresh tokens are encrypted with key " + ring.activeKeyId());
        } catch (IllegalArgumentException e) {
            MissingSettingException problem = new MissingSettingException(e instanceof KeyRing.UnknownActiveKeyException
                    ? "oauth.token-encryption-active-key" : "oauth.token-encryption-keys",
                    "is missing or invalid: " + e.getMessage());
            LOG.severe(problem.getMessage());
            throw problem;
        }
    }

    public boolean isReady() {
        return ready;
    }
}

package io.wixoauth.core.platform;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Ready only when the schema is migrated and the database answers: without it no installation can be served. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Inject
    ServiceStartup startup;

    @Resource(lookup = "java:app/jdbc/oauth")
    DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
        if (!startup.isReady()) {
            return response.down().withData("reason", "schema migration has not finished").build();
        }
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2) ? response.up().build()
                    : response.down().withData("reason", "the database did not answer").build();
        } catch (SQLException e) {
            return response.down().withData("reason", "no database connection").build();
        }
    }
}

package io.wixoauth.persistence;

import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The two databases the service runs on: embedded H2, and PostgreSQL at {@code oauth.test.postgres.url}
 * (default: the local server's {@code test} database), each test in a schema of its own that is dropped afterwards.
 */
public final class TestDatabases {

    private TestDatabases() {
    }

    public record TestDatabase(String name, DataSource dataSource, Map<String, String> jpaProperties, Runnable drop) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * H2 always; PostgreSQL too when there is one ({@code it.db} {@code auto}, the default: the local server answers at
     * {@code oauth.test.postgres.url}) or when asked for ({@code -Ppostgres}). A fresh machine has Java and Maven, not
     * a database server.
     */
    public static Stream<Supplier<TestDatabase>> all() {
        return onPostgres() ? Stream.of(TestDatabases::h2, TestDatabases::postgres) : Stream.of(TestDatabases::h2);
    }

    /** Whether the tests use PostgreSQL: {@code -Dit.db=postgres} or {@code h2} decides, else whether one answers. */
    public static boolean onPostgres() {
        String chosen = System.getProperty("it.db", "auto");
        if (!"auto".equals(chosen) && !chosen.isBlank()) {
            return "postgres".equals(chosen);
        }
        PGSimpleDataSource probe = new PGSimpleDataSource();
        probe.setUrl(System.getProperty("oauth.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test"));
        probe.setUser(System.getProperty("oauth.test.postgres.user", "postgres"));
        probe.setPassword(System.getProperty("oauth.test.postgres.password", ""));
        probe.setConnectTimeout(2);
        probe.setLoginTimeout(3);
        try (java.sql.Connection connection = probe.getConnection()) {
            return connection.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    public static TestDatabase h2() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("oauth");
        h2.setPassword("oauth");
        return new TestDatabase("H2", h2, jdbc(url, "oauth", "oauth"), () -> execute(h2, "SHUTDOWN"));
    }

    public static TestDatabase postgres() {
        String base = System.getProperty("oauth.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getProperty("oauth.test.postgres.user", "postgres");
        String password = System.getProperty("oauth.test.postgres.password", "");
        String schema = "test_" + UUID.randomUUID().toString().replace("-", "");
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setUrl(base);
        admin.setUser(user);
        admin.setPassword(password);
        execute(admin, "CREATE SCHEMA " + schema);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(url);
        pg.setUser(user);
        pg.setPassword(password);
        return new TestDatabase("PostgreSQL", pg, jdbc(url, user, password),
                () -> execute(admin, "DROP SCHEMA " + schema + " CASCADE"));
    }

    private static Map<String, String> jdbc(String url, String user, String password) {
        return Map.of(
                "jakarta.persistence.transactionType", "RESOURCE_LOCAL",
                "jakarta.persistence.jtaDataSource", "",
                "jakarta.persistence.jdbc.url", url,
                "jakarta.persistence.jdbc.user", user,
                "jakarta.persistence.jdbc.password", password);
    }

    private static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run: " + sql, e);
        }
    }
}

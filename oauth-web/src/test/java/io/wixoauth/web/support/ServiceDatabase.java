package io.wixoauth.web.support;

import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The database the service under test runs on, reachable by the test too, so a test can check what was stored:
 * a fresh schema in the local PostgreSQL when one answers (as in CI; {@code -Dit.db=postgres} insists), dropped when
 * the tests end, or else H2 served on loopback by a TCP server in the test JVM ({@code -Dit.db=h2} insists).
 */
public final class ServiceDatabase {

    private final String url;
    private final String user;
    private final String password;
    private final String dataSourceClass;
    private final DataSource dataSource;
    private final FlakyLink link;

    private ServiceDatabase(String url, String user, String password, String dataSourceClass, DataSource dataSource) {
        // The service reaches the database through a link a test can cut; the test's own checks go direct.
        java.net.URI address = java.net.URI.create(url.substring("jdbc:".length()).replaceFirst("^h2:", ""));
        try {
            this.link = FlakyLink.to(address.getHost(), address.getPort());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot open the database link", e);
        }
        this.url = url.replace(address.getHost() + ":" + address.getPort(), "127.0.0.1:" + link.port());
        this.user = user;
        this.password = password;
        this.dataSourceClass = dataSourceClass;
        this.dataSource = dataSource;
    }

    static ServiceDatabase start(Path dir) throws SQLException {
        ServiceDatabase database = onPostgres() ? postgres() : h2(dir);
        System.out.println("The service under test runs on " + (database.dataSourceClass.contains("postgresql")
                ? "PostgreSQL" : "H2") + " (-Dit.db=h2 or -Dit.db=postgres chooses)");
        return database;
    }

    /** {@code -Dit.db=postgres} or {@code h2} decides; by default ({@code auto}) PostgreSQL if the local one answers. */
    private static boolean onPostgres() {
        String chosen = System.getProperty("it.db", "auto");
        if (chosen.isBlank() || "auto".equals(chosen)) {
            try (var probe = java.sql.DriverManager.getConnection(postgresUrl() + "?connectTimeout=2&loginTimeout=3",
                    System.getProperty("oauth.test.postgres.user", "postgres"),
                    System.getProperty("oauth.test.postgres.password", ""))) {
                return probe.isValid(2);
            } catch (SQLException e) {
                return false;
            }
        }
        return "postgres".equals(chosen);
    }

    private static String postgresUrl() {
        return System.getProperty("oauth.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    private static ServiceDatabase h2(Path dir) throws SQLException {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/oauth";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("oauth");
        h2.setPassword("oauth");
        return new ServiceDatabase(url, "oauth", "oauth", "org.h2.jdbcx.JdbcDataSource", h2);
    }

    private static ServiceDatabase postgres() throws SQLException {
        String base = postgresUrl();
        String user = System.getProperty("oauth.test.postgres.user", "postgres");
        String password = System.getProperty("oauth.test.postgres.password", "");
        String schema = "it_" + UUID.randomUUID().toString().replace("-", "");
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setUrl(base);
        admin.setUser(user);
        admin.setPassword(password);
        execute(admin, "CREATE SCHEMA " + schema);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                execute(admin, "DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                System.err.println("could not drop test schema " + schema + ": " + e.getMessage());
            }
        }));
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(url);
        pg.setUser(user);
        pg.setPassword(password);
        return new ServiceDatabase(url, user, password, "org.postgresql.ds.PGSimpleDataSource", pg);
    }

    /**
     * Another, empty database of the same kind on the same server (a schema of its own on PostgreSQL, a database of
     * its own on the H2 server), for a node that must not share the ITs' data: its own audit chain, say.
     */
    public ServiceDatabase fresh() throws SQLException {
        String name = "it_" + UUID.randomUUID().toString().replace("-", "");
        if (dataSourceClass.contains("postgresql")) {
            String base = postgresUrl();
            PGSimpleDataSource admin = new PGSimpleDataSource();
            admin.setUrl(base);
            admin.setUser(user);
            admin.setPassword(password);
            execute(admin, "CREATE SCHEMA " + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    execute(admin, "DROP SCHEMA " + name + " CASCADE");
                } catch (SQLException e) {
                    System.err.println("could not drop test schema " + name + ": " + e.getMessage());
                }
            }));
            String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setUrl(url);
            pg.setUser(user);
            pg.setPassword(password);
            return new ServiceDatabase(url, user, password, dataSourceClass, pg);
        }
        String url = ((JdbcDataSource) dataSource).getURL().replaceFirst("/oauth$", "/" + name);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser(user);
        h2.setPassword(password);
        return new ServiceDatabase(url, user, password, dataSourceClass, h2);
    }

    /** Drops every connection the service has to the database and refuses new ones: an outage, as the service sees it. */
    public void cutOff() {
        link.cut();
    }

    /** Ends {@link #cutOff()}: the service can connect again. */
    public void restore() {
        link.restore();
    }

    /** The service's {@code oauth.db.*} settings for this database. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("oauth.db.url", url);
        settings.put("oauth.db.user", user);
        settings.put("oauth.db.password", password);
        settings.put("oauth.db.datasource-class", dataSourceClass);
        return settings;
    }

    /** One row as column name to value, for the checks a test makes on what the service stored. */
    public List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Map<String, Object>> result = new ArrayList<>();
                while (rows.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                        row.put(rows.getMetaData().getColumnLabel(c).toLowerCase(), rows.getObject(c));
                    }
                    result.add(row);
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("update failed: " + sql, e);
        }
    }

    /** One statement for many rows, in one transaction: test set-up of thousands of rows. */
    public void batch(String sql, List<Object[]> rows) {
        try (Connection connection = dataSource.getConnection();
             var statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(false);
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    statement.setObject(i + 1, row[i]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("batch failed: " + sql, e);
        }
    }

    /** The stored installation of {@code instanceId}, or an empty map. */
    public Map<String, Object> installation(String instanceId) {
        List<Map<String, Object>> rows = query("SELECT * FROM installation WHERE instance_id = ?", instanceId);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

package io.wixoauth.bench;

import com.sun.net.httpserver.HttpServer;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import jakarta.json.Json;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded growth (issue 25), on PostgreSQL: what token reads add to the database (summed up in the audit trail, not a
 * row per read), and a time-compressed month, every retention horizon set to minutes, under a steady mixed load: the
 * database's size and its rows per table sampled as it runs.
 */
final class Growth {

    /** The tables whose rows the month follows: every one a request can write. */
    static final List<String> TABLES = List.of("installation", "installation_tombstone", "shared_access_token",
            "oauth_state", "audit_entry", "audit_archive", "relay_event", "relay_delivery", "background_job",
            "import_line", "wix_call_budget");

    record ReadGrowth(long reads, Duration took, long bytesAdded, long auditRowsAdded) {
        double mibPerMillion() {
            return bytesAdded / (1024.0 * 1024.0) / reads * 1_000_000;
        }
    }

    record Sample(Duration at, long bytes, Map<String, Long> rows) {
    }

    record Month(Duration length, Duration horizon, List<Sample> samples, long reads, long installs, long uninstalls,
                 long webhooks, long errors, boolean autovacuum) {
    }

    private final WixSimulator wix;
    private final String reader;
    private final String operator;
    private final String dbUrl;
    private final String dbUser;
    private final String schema;

    Growth(WixSimulator wix, String reader, String operator, String dbUrl, String dbUser, String schema) {
        this.wix = wix;
        this.reader = reader;
        this.operator = operator;
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.schema = schema;
    }

    /**
     * At least {@code reads} warm token reads of 50 instances by 16 clients; the database's size (every table and index
     * of the service's schema) before and after, once the reads' last interval has been written.
     */
    ReadGrowth tokenReads(PayaraMicroProcess service, long reads) throws Exception {
        List<HttpRequest> tokens = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            HttpRequest token = Bench.get(service.baseUrl().resolve("/api/v1/instances/" + wix.installApp()
                    + "/access-token"), reader);
            Load.status(token);
            tokens.add(token);
        }
        awaitIntervalWritten();
        long bytesBefore = bytes();
        long auditBefore = rows("audit_entry");
        AtomicLong done = new AtomicLong();
        Instant started = Instant.now();
        while (done.get() < reads && Duration.between(started, Instant.now()).toMinutes() < 10) {
            Load.Result chunk = Load.run(16, Duration.ofSeconds(10),
                    () -> Load.status(tokens.get((int) (done.incrementAndGet() % tokens.size()))) == 200 ? 1 : 0);
            if (chunk.failed() > 0) {
                throw new IllegalStateException(chunk.failed() + " token reads did not answer 200");
            }
        }
        Duration took = Duration.between(started, Instant.now());
        awaitIntervalWritten();
        return new ReadGrowth(done.get(), took, bytes() - bytesBefore, rows("audit_entry") - auditBefore);
    }

    /**
     * A month in {@code length}: every horizon {@code horizon} (tombstones half as long again), a purge every minute,
     * and each second 50 token reads, 5 installs, 5 uninstalls (of sites installed a minute before), 2 paid-plan
     * webhooks, every event relayed to a receiver; size and rows sampled every {@code every}.
     */
    Month month(PayaraMicroProcess service, Duration length, Duration horizon, Duration every) throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.createContext("/events", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        AtomicLong reads = new AtomicLong();
        AtomicLong installs = new AtomicLong();
        AtomicLong uninstalls = new AtomicLong();
        AtomicLong webhooks = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong plans = new AtomicLong();
        try {
            HttpResponse<String> subscribed = Load.send(HttpRequest.newBuilder(service.baseUrl()
                            .resolve("/api/admin/subscriptions")).header("Authorization", "Bearer " + operator)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json
                            .createObjectBuilder().add("url", "http://127.0.0.1:" + receiver.getAddress().getPort()
                                    + "/events").add("eventTypes", Json.createArrayBuilder().add("*"))
                            .add("reason", "benchmark: a month of events").build().toString())).build());
            if (subscribed.statusCode() != 201) {
                throw new IllegalStateException("could not subscribe: " + subscribed.body());
            }
            List<String> stable = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                stable.add(wix.installApp());
            }
            URI webhookUrl = service.baseUrl().resolve("/webhooks/wix");
            Deque<String> toRemove = new ArrayDeque<>();
            boolean autovacuum = autovacuum();
            Instant started = Instant.now();
            List<Sample> samples = new ArrayList<>();
            samples.add(new Sample(Duration.ZERO, bytes(), rowsPerTable()));
            clock.scheduleAtFixedRate(() -> {
                for (String instance : stable) {
                    senders.execute(() -> count(Load.status(Bench.get(service.baseUrl().resolve("/api/v1/instances/"
                            + instance + "/access-token"), reader)) == 200, reads, errors));
                }
                for (int i = 0; i < 5; i++) {
                    String site = UUID.randomUUID().toString();
                    synchronized (toRemove) {
                        toRemove.add(site);
                    }
                    senders.execute(() -> count(webhook(webhookUrl, "AppInstalled", site) == 200, installs, errors));
                }
                for (int i = 0; i < 5; i++) {
                    String site;
                    synchronized (toRemove) {
                        site = toRemove.size() > 300 ? toRemove.poll() : null; // installed a minute before
                    }
                    if (site != null) {
                        senders.execute(() -> count(webhook(webhookUrl, "AppRemoved", site) == 200, uninstalls, errors));
                    }
                }
                for (int i = 0; i < 2; i++) {
                    String site = stable.get((int) (plans.getAndIncrement() % stable.size())); // two sites a second
                    senders.execute(() -> count(webhook(webhookUrl, "PaidPlanPurchased", site) == 200, webhooks, errors));
                }
            }, 0, 1, TimeUnit.SECONDS);
            Instant next = started.plus(every);
            Instant nextVacuum = started.plus(Duration.ofMinutes(1));
            while (Instant.now().isBefore(started.plus(length))) {
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), next).toMillis()));
                if (!autovacuum && !Instant.now().isBefore(nextVacuum)) {
                    vacuum();
                    nextVacuum = nextVacuum.plus(Duration.ofMinutes(1));
                }
                samples.add(new Sample(Duration.between(started, Instant.now()), bytes(), rowsPerTable()));
                next = next.plus(every);
            }
            return new Month(length, horizon, samples, reads.get(), installs.get(), uninstalls.get(), webhooks.get(),
                    errors.get(), autovacuum);
        } finally {
            clock.shutdownNow();
            senders.shutdownNow();
            senders.awaitTermination(30, TimeUnit.SECONDS);
            receiver.stop(0);
            ((ExecutorService) receiver.getExecutor()).shutdownNow();
        }
    }

    private int webhook(URI url, String type, String site) {
        return wix.webhooks().post(url, wix.webhooks().sign(type, site, Json.createObjectBuilder()
                .add("appId", wix.appId()).build(), Instant.now()));
    }

    private static void count(boolean ok, AtomicLong done, AtomicLong errors) {
        (ok ? done : errors).incrementAndGet();
    }

    /** The read summaries of the interval under way are written a second after it ends (PT1M by default). */
    private static void awaitIntervalWritten() throws InterruptedException {
        long now = System.currentTimeMillis();
        Thread.sleep(60_000 - now % 60_000 + 4_000);
    }

    /**
     * What PostgreSQL's autovacuum does by default once a minute (autovacuum_naptime), for a server where it is off (as
     * on the benchmark's machine: {@code SHOW autovacuum}): the space of deleted rows made reusable. Not VACUUM FULL.
     */
    void vacuum() throws SQLException {
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, ""); var statement = db.createStatement()) {
            db.setAutoCommit(true);
            for (String table : TABLES) {
                statement.execute("VACUUM " + schema + "." + table);
            }
        }
    }

    /** Whether the server's own autovacuum runs. */
    boolean autovacuum() throws SQLException {
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, ""); var statement = db.createStatement();
             ResultSet row = statement.executeQuery("SHOW autovacuum")) {
            row.next();
            return "on".equals(row.getString(1));
        }
    }

    /** Every table, index and TOAST table of the service's schema, in bytes. */
    long bytes() throws SQLException {
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, "");
             PreparedStatement size = db.prepareStatement("SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) "
                     + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? "
                     + "AND c.relkind = 'r'")) {
            size.setString(1, schema);
            try (ResultSet row = size.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    Map<String, Long> rowsPerTable() throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : TABLES) {
            rows.put(table, rows(table));
        }
        return rows;
    }

    private long rows(String table) throws SQLException {
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, "");
             var count = db.createStatement(); ResultSet row = count.executeQuery("SELECT COUNT(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }
}

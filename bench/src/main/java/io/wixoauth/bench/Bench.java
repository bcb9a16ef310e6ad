package io.wixoauth.bench;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.KeyRing;
import io.wixoauth.persistence.crypto.TokenCipher;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.IdentityProvider;
import io.wixoauth.simulator.ServiceWiring;
import io.wixoauth.simulator.SimulatorSettings;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The benchmark harness: the built WAR on Payara Micro (on H2, then on PostgreSQL), the Wix simulator, and closed-loop
 * load generators (JDK HTTP client, HdrHistogram), all on loopback on this machine. Writes bench/RESULTS.md. Ratios are
 * taken in the same run so machine noise cancels. Settings (system properties): {@code bench.soak} (ISO-8601 duration,
 * default PT10M), {@code bench.bulk} (installations for the bulk refresh, default 10000), {@code bench.import} (lines
 * imported, default 100000), {@code bench.relay} (installs whose events are relayed all at once, default 2000),
 * {@code bench.relay-rate} and {@code bench.relay-seconds} (events a second relayed at a steady rate, and for how
 * long: 200, 30), {@code bench.install-warm-up} (installs run before the measured ones, default PT60S),
 * {@code bench.baseline-war} (another build's WAR whose token read is measured first, for a before-and-after),
 * {@code bench.growth-reads} (token reads whose growth of the database is measured, default 200000),
 * {@code bench.expiries} (how long tokens are read across their expiries: PT2M), {@code bench.month}
 * and {@code bench.month-horizon} (the time-compressed month's length and horizons: PT10M, PT2M),
 * {@code bench.postgres.url}.
 */
public final class Bench {

    private static final Duration WARMUP = Duration.ofSeconds(10);
    private static final Duration MEASURE = Duration.ofSeconds(10);
    static final Duration INSTALL_WARM_UP = Duration.parse(System.getProperty("bench.install-warm-up", "PT60S"));
    private static final String PG_URL = System.getProperty("bench.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = System.getProperty("bench.postgres.user", "postgres");
    /** Which parts to run (comma-separated); all of them unless told otherwise. */
    private static final List<String> PARTS = List.of(System.getProperty("bench.parts",
            "tokens,proxy,upstream,installs,bulk,migration,import,relay,soak,growth,expiries,month").split(","));

    private final Path war;
    private final Path micro;
    private final Path work;
    private final Report report = new Report();
    private final int h2Port = freePort();
    private final int pgPort = freePort();
    private final WixSimulator wix = WixSimulator.start(SimulatorSettings.random().withAutoApprove(true)
            .withRedirectUrls(List.of(ServiceWiring.redirectUrl(h2Port), ServiceWiring.redirectUrl(pgPort))), 0);
    private final IdentityProvider idp = IdentityProvider.generate();
    private final URI jwks = wix.publishIdentityProviderKeys(idp);
    private final String reader = idp.issue("bench-backend", List.of("token-reader"), Duration.ofHours(2));
    private final String caller = idp.issue("bench-caller", List.of("wix-caller"), Duration.ofHours(2));
    private final String operator = idp.issue("bench-operator", List.of("oauth-viewer", "oauth-admin", "oauth-auditor"),
            Duration.ofHours(2));

    private Bench(Path war, Path micro) throws IOException {
        this.war = war;
        this.micro = micro;
        this.work = Files.createTempDirectory("wixoauth-bench");
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(Path.of(args[0]), Path.of(args[1]));
        try {
            bench.run(Path.of(args[2]));
        } finally {
            bench.wix.close();
        }
        Path results = Path.of(args[2]);
        Path notes = results.resolveSibling("NOTES.md"); // the hand-written reading of the figures
        Files.writeString(results, bench.report.markdown()
                + (Files.exists(notes) ? "\n" + Files.readString(notes) : ""));
        System.out.println(bench.report.markdown());
    }

    private void run(Path results) throws Exception {
        Properties h2 = ServiceWiring.to(wix, jwks, ServiceWiring.h2File(work.resolve("h2/oauth")), h2Port).asSystemProperties();
        // The proxy part measures the proxy's own cost, not Wix's rate limit: no budget in the way on either side.
        h2.setProperty("oauth.proxy.calls-per-minute", "1000000000");
        String baseline = System.getProperty("bench.baseline-war");
        if (baseline != null && PARTS.contains("tokens")) {
            baseline(Path.of(baseline), h2);
        }
        Instant launched = Instant.now();
        try (PayaraMicroProcess service = start("h2", h2Port, h2)) {
            Duration startup = Duration.between(launched, Instant.now());
            Thread.sleep(3000);
            report.startup(startup, Memory.rssMiB(service.pid()));
            if (PARTS.contains("tokens")) {
                tokenServing(service);
            }
            if (PARTS.contains("proxy")) {
                proxyCalls(service);
            }
            if (PARTS.contains("upstream")) {
                upstreamCalls(service);
            }
            if (PARTS.contains("installs")) {
                report.installs("H2 (embedded, file)", installThroughput(service));
            }
            report.peakRss(Memory.rssMiB(service.pid()));
        }
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "");
        sql(PG_URL, "CREATE SCHEMA " + schema);
        try {
            String url = PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            Properties pg = ServiceWiring.to(wix, jwks, url, pgPort).asSystemProperties();
            pg.setProperty("oauth.db.datasource-class", "org.postgresql.ds.PGSimpleDataSource");
            pg.setProperty("oauth.db.user", PG_USER);
            pg.setProperty("oauth.db.password", "");
            try (PayaraMicroProcess service = start("pg", pgPort, pg)) {
                if (PARTS.contains("installs")) {
                    report.installs("PostgreSQL 15 (local, TCP)", installThroughput(service));
                }
                if (PARTS.contains("bulk")) {
                    bulkRefresh(service, url, pg, Integer.getInteger("bench.bulk", 10_000));
                }
                if (PARTS.contains("migration")) {
                    migration(service, url, pg, Integer.getInteger("bench.migration", 10_000));
                }
                Doors doors = new Doors(service, wix, operator);
                if (PARTS.contains("import")) {
                    report.importBase(doors.importBase(Integer.getInteger("bench.import", 100_000)));
                }
                if (PARTS.contains("relay")) {
                    report.relay(doors.relay(Integer.getInteger("bench.relay", 2_000), 0));
                    int rate = Integer.getInteger("bench.relay-rate", 200);
                    report.relay(doors.relay(rate / 2 * Integer.getInteger("bench.relay-seconds", 30), rate / 2));
                }
                if (PARTS.contains("soak")) {
                    report.soak(new Soak(service, wix, reader, operator,
                            Duration.parse(System.getProperty("bench.soak", "PT10M"))).run());
                }
                if (PARTS.contains("growth")) {
                    report.readGrowth(new Growth(wix, reader, operator, url, PG_USER, schema)
                            .tokenReads(service, Long.getLong("bench.growth-reads", 200_000)));
                }
            }
        } finally {
            sql(PG_URL, "DROP SCHEMA " + schema + " CASCADE");
        }
        if (PARTS.contains("expiries")) {
            expiries(Duration.parse(System.getProperty("bench.expiries", "PT2M")));
        }
        if (PARTS.contains("month")) {
            month(results);
        }
    }

    /**
     * Token reads across expiries, on a service of its own (a schema of its own, on PostgreSQL) wired to a simulator of
     * its own whose tokens live 30 s ({@link Expiries}); {@code bench.expiries} (PT2M) long.
     */
    private void expiries(Duration length) throws Exception {
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "");
        sql(PG_URL, "CREATE SCHEMA " + schema);
        int port = freePort();
        try (WixSimulator shortLived = WixSimulator.start(SimulatorSettings.random().withAutoApprove(true)
                .withClientCredentialsLifetime(Expiries.TOKEN_LIFETIME)
                .withRedirectUrls(List.of(ServiceWiring.redirectUrl(port))), 0)) {
            String url = PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            Properties pg = ServiceWiring.to(shortLived, shortLived.publishIdentityProviderKeys(idp), url, port)
                    .asSystemProperties();
            pg.setProperty("oauth.db.datasource-class", "org.postgresql.ds.PGSimpleDataSource");
            pg.setProperty("oauth.db.user", PG_USER);
            pg.setProperty("oauth.db.password", "");
            pg.setProperty("oauth.token-refresh-skew", Expiries.SKEW.toString());
            try (PayaraMicroProcess service = start("pg-expiries", port, pg)) {
                report.expiries(Expiries.run(service, shortLived, reader, length));
            }
        } finally {
            sql(PG_URL, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /**
     * A time-compressed month on a service of its own (a schema of its own): every horizon {@code bench.month-horizon}
     * (PT2M), a purge every minute, {@code bench.month} (PT10M) of steady mixed load; the chart written next to the
     * results.
     */
    private void month(Path results) throws Exception {
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "");
        sql(PG_URL, "CREATE SCHEMA " + schema);
        int port = freePort();
        Duration horizon = Duration.parse(System.getProperty("bench.month-horizon", "PT2M"));
        try {
            String url = PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            Properties pg = ServiceWiring.to(wix, jwks, url, port).asSystemProperties();
            pg.setProperty("oauth.db.datasource-class", "org.postgresql.ds.PGSimpleDataSource");
            pg.setProperty("oauth.db.user", PG_USER);
            pg.setProperty("oauth.db.password", "");
            for (String kind : List.of("uninstalled", "delivered", "failed", "jobs", "audit")) {
                pg.setProperty("oauth.retention." + kind, horizon.toString());
            }
            pg.setProperty("oauth.retention.tombstones", horizon.multipliedBy(3).dividedBy(2).toString());
            pg.setProperty("oauth.retention.run-every", "PT1M");
            pg.setProperty("oauth.audit.archive-dir", work.resolve("month-archive").toString());
            try (PayaraMicroProcess service = start("pg-month", port, pg)) {
                Growth.Month month = new Growth(wix, reader, operator, url, PG_USER, schema).month(service,
                        Duration.parse(System.getProperty("bench.month", "PT10M")), horizon, Duration.ofSeconds(15));
                String chart = "month.svg";
                Files.writeString(results.resolveSibling(chart), Chart.svg(month));
                report.month(month, chart);
            }
        } finally {
            sql(PG_URL, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private PayaraMicroProcess start(String name, int port, Properties config) throws Exception {
        PayaraMicroProcess service = PayaraMicroProcess.start(micro, war, work.resolve(name), port, config);
        if (!service.awaitReady(Duration.ofMinutes(3))) {
            service.close();
            throw new IllegalStateException("the service did not start; the end of " + service.log() + ":\n"
                    + String.join("\n", service.lastLines(30)));
        }
        return service;
    }

    /**
     * 0. The same warm token read against the no-op, 16 clients, on another build of the service
     * ({@code bench.baseline-war}, e.g. the one before a change), on a database of its own: a before-and-after in one
     * run.
     */
    private void baseline(Path baselineWar, Properties config) throws Exception {
        Properties own = new Properties();
        own.putAll(config);
        own.setProperty("oauth.db.url", ServiceWiring.h2File(work.resolve("baseline/oauth")));
        try (PayaraMicroProcess service = PayaraMicroProcess.start(micro, baselineWar, work.resolve("baseline"), h2Port,
                own)) {
            if (!service.awaitReady(Duration.ofMinutes(3))) {
                throw new IllegalStateException("the baseline did not start: " + String.join("\n", service.lastLines(30)));
            }
            String instance = wix.installApp();
            HttpRequest token = get(service.baseUrl().resolve("/api/v1/instances/" + instance + "/access-token"), reader);
            HttpRequest noop = get(service.baseUrl().resolve("/health/live"), null);
            Load.status(token);
            Load.run(16, WARMUP, () -> Load.status(token) == 200 ? 1 : 0);
            Load.Result tokens = Load.run(16, MEASURE, () -> Load.status(token) == 200 ? 1 : 0);
            Load.run(16, WARMUP, () -> Load.status(noop) == 200 ? 1 : 0);
            Load.Result ceiling = Load.run(16, MEASURE, () -> Load.status(noop) == 200 ? 1 : 0);
            Wrk.Result wrkTokens = null;
            Wrk.Result wrkCeiling = null;
            if (Wrk.available()) {
                Wrk.run(token.uri(), reader, 16, WARMUP);
                wrkTokens = Wrk.run(token.uri(), reader, 16, MEASURE);
                Wrk.run(noop.uri(), null, 16, WARMUP);
                wrkCeiling = Wrk.run(noop.uri(), null, 16, MEASURE);
            }
            report.tokenBaseline(baselineWar.toString(), tokens, ceiling, wrkTokens, wrkCeiling);
        }
    }

    /** 1. Warm-cache token serving next to a no-op endpoint on the same server. */
    private void tokenServing(PayaraMicroProcess service) {
        String instance = wix.installApp();
        HttpRequest token = get(service.baseUrl().resolve("/api/v1/instances/" + instance + "/access-token"), reader);
        HttpRequest noop = get(service.baseUrl().resolve("/health/live"), null);
        Load.status(token); // fills the cache
        for (int clients : new int[]{1, 16, 64}) {
            Load.run(clients, WARMUP, () -> Load.status(token) == 200 ? 1 : 0);
            Load.Result tokens = Load.run(clients, MEASURE, () -> Load.status(token) == 200 ? 1 : 0);
            Load.run(clients, WARMUP, () -> Load.status(noop) == 200 ? 1 : 0);
            Load.Result ceiling = Load.run(clients, MEASURE, () -> Load.status(noop) == 200 ? 1 : 0);
            requireNoFailures(tokens, "token API");
            report.tokenServing(clients, tokens, ceiling);
        }
        if (!Wrk.available()) {
            report.tokenServingByWrk(null, null);
            return;
        }
        try {
            Wrk.run(token.uri(), reader, 16, WARMUP);
            Wrk.Result tokens = Wrk.run(token.uri(), reader, 16, MEASURE);
            Wrk.run(noop.uri(), null, 16, WARMUP);
            Wrk.Result ceiling = Wrk.run(noop.uri(), null, 16, MEASURE);
            report.tokenServingByWrk(tokens, ceiling);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * 1b. A Wix API call through the proxy next to the same call made straight to the simulator with the instance's
     * token, alternating, at 1, 16 and 64 clients: what the proxy adds.
     */
    private void proxyCalls(PayaraMicroProcess service) {
        wix.limitCallsPerMinute(Integer.MAX_VALUE);
        String instance = wix.installApp();
        String token = json(Load.send(get(service.baseUrl().resolve("/api/v1/instances/" + instance + "/access-token"),
                reader)).body()).getString("access_token");
        HttpRequest direct = HttpRequest.newBuilder(wix.baseUrl().resolve("/apps/v1/instance"))
                .header("Authorization", token).timeout(Duration.ofSeconds(30)).GET().build();
        HttpRequest proxied = get(service.baseUrl().resolve("/api/v1/instances/" + instance + "/wix/apps/v1/instance"),
                caller);
        for (int clients : new int[]{1, 16, 64}) {
            Load.Result[] pair = proxyAndDirect(clients, proxied, direct);
            report.proxyCalls(clients, pair[0], pair[1], false);
        }
        // Again with the service on a core of its own and the load generator and the simulator (this process) on the
        // other, as in production, where Wix does not share the service's machine: then both paths have the same
        // client-and-Wix side, and what differs is whether the proxy's hop keeps up.
        if (CpuPinning.available()) {
            try (CpuPinning pinned = CpuPinning.apart(service.pid(), ProcessHandle.current().pid())) {
                for (int clients : new int[]{1, 16, 64}) {
                    Load.Result[] pair = proxyAndDirect(clients, proxied, direct);
                    report.proxyCalls(clients, pair[0], pair[1], true);
                }
            }
        }
        wix.limitCallsPerMinute(200);
    }

    /** The proxy, then the direct call, each warmed up and measured: {proxied, direct}. */
    private static Load.Result[] proxyAndDirect(int clients, HttpRequest proxied, HttpRequest direct) {
        Load.run(clients, WARMUP, () -> Load.status(proxied) == 200 ? 1 : 0);
        Load.Result throughProxy = Load.run(clients, MEASURE, () -> Load.status(proxied) == 200 ? 1 : 0);
        Load.run(clients, WARMUP, () -> Load.status(direct) == 200 ? 1 : 0);
        Load.Result straight = Load.run(clients, MEASURE, () -> Load.status(direct) == 200 ? 1 : 0);
        requireNoFailures(throughProxy, "Wix API proxy");
        requireNoFailures(straight, "direct call to the simulator");
        return new Load.Result[]{throughProxy, straight};
    }

    /**
     * 2. Calls to Wix for N concurrent callers of one refresh-token installation with no valid access token, next to
     * what a client that refreshes on every request (the SDK with a refresh token) makes: measured, by sending those
     * N refreshes to the simulator.
     */
    private void upstreamCalls(PayaraMicroProcess service) {
        InstallFlow flow = new InstallFlow(wix, service.baseUrl());
        for (int callers : new int[]{1, 10, 100, 200}) {
            String installed = flow.install();
            HttpRequest token = get(service.baseUrl().resolve("/api/v1/instances/" + installed + "/access-token"), reader);
            wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.delay(Duration.ofMillis(300))); // every caller arrives in time
            int before = wix.calls(Endpoint.OAUTH_ACCESS);
            int served = burst(callers, () -> Load.status(token) == 200);
            int ours = wix.calls(Endpoint.OAUTH_ACCESS) - before;

            String sdkInstance = wix.installApp();
            String refreshToken = wix.issueRefreshToken(sdkInstance);
            HttpRequest sdkRefresh = HttpRequest.newBuilder(wix.baseUrl().resolve("/oauth/access"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("grant_type", "refresh_token")
                            .add("client_id", wix.appId()).add("client_secret", wix.appSecret())
                            .add("refresh_token", refreshToken).build().toString())).build();
            int sdkBefore = wix.calls(Endpoint.OAUTH_ACCESS);
            int sdkServed = burst(callers, () -> Load.status(sdkRefresh) == 200);
            int sdk = wix.calls(Endpoint.OAUTH_ACCESS) - sdkBefore;
            if (served != callers || sdkServed != callers) {
                throw new IllegalStateException("a burst request failed: " + served + " and " + sdkServed + " of " + callers);
            }
            report.upstreamCalls(callers, ours, sdk);
        }
    }

    /** 3. Installs end to end, 16 browsers at once for 20 s; a sample of them is then served by its refresh token. */
    private Load.Result installThroughput(PayaraMicroProcess service) {
        InstallFlow flow = new InstallFlow(wix, service.baseUrl());
        ConcurrentLinkedQueue<String> installed = new ConcurrentLinkedQueue<>();
        // A service started for this part compiles most of the install path while the first thousand run: measured
        // cold, half its CPU went to the JIT's compiler threads (JFR). The warm-up lets the figure be the steady state.
        Load.run(16, INSTALL_WARM_UP, () -> flow.install() != null ? 1 : 0);
        Load.Result result = Load.run(16, Duration.ofSeconds(20), () -> {
            String id = flow.install();
            if (id == null) {
                return 0;
            }
            installed.add(id);
            return 1;
        });
        List<String> sample = installed.stream().limit(20).toList();
        for (String id : sample) {
            HttpResponse<String> token = Load.send(get(service.baseUrl().resolve("/api/v1/instances/" + id + "/access-token"), reader));
            if (token.statusCode() != 200 || !token.body().contains("\"refresh_token\"")) {
                throw new IllegalStateException("installed instance " + id + " is not served by its refresh token: " + token.body());
            }
        }
        return result;
    }

    /**
     * 4. {@code count} refresh-token installations, all without a valid access token, brought back by one bulk-refresh
     * job; timed from the request that starts it to the job reporting DONE.
     */
    private void bulkRefresh(PayaraMicroProcess service, String url, Properties config, int count) throws Exception {
        seedRefreshTokenInstallations(url, config, count);
        int callsBefore = wix.calls(Endpoint.OAUTH_ACCESS) + wix.calls(Endpoint.CREATE_ACCESS_TOKEN);
        int throttledBefore = wix.rateLimited();
        Instant started = Instant.now();
        JsonObject state = runJob(service, "bulk-refresh", "{\"reason\":\"benchmark: every token expired at once\"}");
        Duration took = Duration.between(started, Instant.now());
        report.bulkRefresh(count, state.getJsonNumber("total").longValue(), state.getJsonNumber("done").longValue(),
                state.getJsonNumber("errors").longValue(), took,
                wix.calls(Endpoint.OAUTH_ACCESS) + wix.calls(Endpoint.CREATE_ACCESS_TOKEN) - callsBefore,
                wix.rateLimited() - throttledBefore, state.getString("state"));
    }

    /**
     * The migration off custom authentication on {@code count} more refresh-token installations (and whatever
     * refresh-token installations earlier parts left): its rate, on PostgreSQL.
     */
    private void migration(PayaraMicroProcess service, String url, Properties config, int count) throws Exception {
        seedRefreshTokenInstallations(url, config, count);
        int callsBefore = wix.calls(Endpoint.CREATE_ACCESS_TOKEN);
        int throttledBefore = wix.rateLimited();
        Instant started = Instant.now();
        JsonObject state = runJob(service, "migrate-to-client-credentials", Json.createObjectBuilder()
                .add("appId", wix.appId()).add("dryRun", false).add("reason", "benchmark: off custom authentication")
                .build().toString());
        Duration took = Duration.between(started, Instant.now());
        report.migration(state.getJsonNumber("total").longValue(), state.getJsonNumber("done").longValue(),
                state.getJsonNumber("errors").longValue(), took, wix.calls(Endpoint.CREATE_ACCESS_TOKEN) - callsBefore,
                wix.rateLimited() - throttledBefore, state.getString("state"), state.getString("detail", ""));
    }

    /** Starts a job and polls it until it is no longer running (30 minutes at most); its last state. */
    private JsonObject runJob(PayaraMicroProcess service, String kind, String body) throws Exception {
        Instant started = Instant.now();
        HttpResponse<String> job = Load.send(HttpRequest.newBuilder(service.baseUrl().resolve("/api/admin/jobs/" + kind))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        String id = json(job.body()).getString("id");
        JsonObject state;
        do {
            Thread.sleep(500);
            state = json(Load.send(get(service.baseUrl().resolve("/api/admin/jobs/" + id), operator)).body());
        } while ("RUNNING".equals(state.getString("state")) && Duration.between(started, Instant.now()).toMinutes() < 30);
        return state;
    }

    /** Refresh-token installations written straight to the database, sealed with the service's key. */
    private void seedRefreshTokenInstallations(String url, Properties config, int count) throws Exception {
        TokenCipher cipher = new TokenCipher(KeyRing.parse(config.getProperty("oauth.token-encryption-keys"),
                config.getProperty("oauth.token-encryption-active-key")));
        try (Connection db = DriverManager.getConnection(url, PG_USER, "")) {
            db.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO installation (instance_id, app_id, mode, "
                    + "state, refresh_token, created_at, updated_at, installed_at, version) "
                    + "VALUES (?, ?, 'REFRESH_TOKEN', 'INSTALLED', ?, ?, ?, ?, 1)")) {
                for (int i = 0; i < count; i++) {
                    String id = UUID.randomUUID().toString();
                    String refreshToken = wix.issueRefreshToken(id);
                    insert.setString(1, id);
                    insert.setString(2, wix.appId());
                    insert.setString(3, cipher.seal(InstanceId.of(id), Secret.of(refreshToken)));
                    insert.setTimestamp(4, now);
                    insert.setTimestamp(5, now);
                    insert.setTimestamp(6, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            db.commit();
        }
    }

    /** {@code callers} requests released at once; returns how many succeeded. */
    private static int burst(int callers, java.util.function.BooleanSupplier request) {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> all = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return request.getAsBoolean();
            }, pool));
        }
        start.countDown();
        int ok = (int) all.stream().filter(CompletableFuture::join).count();
        pool.shutdownNow();
        return ok;
    }

    private static void requireNoFailures(Load.Result result, String what) {
        if (result.failed() > 0) {
            throw new IllegalStateException(result.failed() + " requests to the " + what + " did not answer 200");
        }
    }

    static HttpRequest get(URI uri, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return request.build();
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, PG_USER, ""); var s = db.createStatement()) {
            s.execute(statement);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

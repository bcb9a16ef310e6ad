package io.wixoauth.web.cluster;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.KeyRing;
import io.wixoauth.persistence.crypto.TokenCipher;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import io.wixoauth.web.support.BudgetMinute;
import io.wixoauth.web.support.Concurrently;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.wixoauth.web.support.Eventually.eventually;
import static io.wixoauth.web.support.Eventually.throughout;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Payara Micro nodes of the built WAR on one database, on loopback: between them, one call to Wix per instance
 * per expiry, and a node killed mid-work does not stop the other.
 */
class TwoNodeClusterIT {

    private static final ServiceEnvironment ENV = ServiceEnvironment.get();
    private static PayaraMicroProcess nodeA;
    private static PayaraMicroProcess nodeB;
    private static Properties config;

    private final WixSimulator wix = ENV.wix();

    @BeforeAll
    static void startTwoNodes() throws Exception {
        Path dir = ServiceNodes.itDir();
        config = ServiceNodes.config();
        // Short enough for the takeover test, long enough that a fetch under a 200-request burst on two slow cores
        // finishes within it (at 3 s a slow run saw the lease run out mid-fetch and a second refresh).
        config.setProperty("oauth.cluster.lease", "PT6S");
        // The production skew: a fetched token stays good for the whole burst (the other ITs make it stale in 5 s).
        config.setProperty("oauth.token-refresh-skew", "PT60S");
        CompletableFuture<PayaraMicroProcess> a = CompletableFuture.supplyAsync(() -> start(dir.resolve("node-a")));
        CompletableFuture<PayaraMicroProcess> b = CompletableFuture.supplyAsync(() -> start(dir.resolve("node-b")));
        nodeA = a.join();
        nodeB = b.join();
    }

    /** Each test may kill node A: the next one, in whatever order, starts with both nodes up and Wix well. */
    @BeforeEach
    void bothNodesUp() {
        wixFaultsCleared();
        if (!nodeA.isAlive()) {
            nodeA = start(ServiceNodes.itDir().resolve("node-a"));
        }
    }

    @AfterAll
    static void stopNodes() {
        for (PayaraMicroProcess node : new PayaraMicroProcess[]{nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
        wixFaultsCleared();
    }

    @Test
    void concurrentRequestsSpreadOverBothNodesMakeOneRefresh() {
        String instanceId = refreshTokenInstallation();
        wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.delay(Duration.ofMillis(700)));
        int before = wix.calls(Endpoint.OAUTH_ACCESS);
        double[] waitsBefore = clusterWaits();
        String bearer = ENV.bearer("token-reader");
        AtomicInteger turn = new AtomicInteger();
        // Node A starts the refresh; the burst comes while Wix holds it, so node B meets it in flight whichever node
        // is the faster to answer (one may have just been restarted, its JIT cold).
        java.util.concurrent.CompletableFuture<HttpResponse<String>> first = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> Http.get(tokenUri(nodeA, instanceId), bearer));
        assertThat(eventually(() -> wix.calls(Endpoint.OAUTH_ACCESS) > before, Duration.ofSeconds(10)))
                .as("node A's refresh reached Wix").isTrue();

        List<HttpResponse<String>> responses = new java.util.ArrayList<>(Concurrently.run(200,
                () -> Http.get(tokenUri(turn.getAndIncrement() % 2 == 0 ? nodeA : nodeB, instanceId), bearer)));
        responses.add(first.join());

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(wix.calls(Endpoint.OAUTH_ACCESS) - before).as("refreshes by both nodes together").isEqualTo(1);
        assertThat(responses.stream().map(r -> Http.json(r).getString("access_token")).distinct()).hasSize(1);
        // Node B, which lost the lease, waited for node A's refresh (700 ms), with a few looks at the database.
        // Counted from this test's start: the metrics also hold waits of other tests (a node killed holding a lease).
        double[] waits = clusterWaits();
        double count = waits[0] - waitsBefore[0];
        assertThat(count).as("waits for the other node").isPositive();
        assertThat((waits[1] - waitsBefore[1]) / count).as("mean wait, ms").isBetween(100.0, 6000.0);
        assertThat(waits[2] - waitsBefore[2]).as("looks at the database while waiting").isBetween(1.0, 40.0);
    }

    /**
     * Wix's dashboard regenerated the app's secret (protocol section 12). An operator sets it on node A; node B calls
     * Wix with it within 10 s, with no restart, and the installation Wix refused tokens for meanwhile is not failed.
     */
    @Test
    void aSecretChangedOnOneNodeIsUsedByTheOtherWithinTenSecondsAndFailsNoInstallation() {
        String bearer = ENV.bearer("token-reader");
        assertThat(Http.get(tokenUri(nodeB, refreshTokenInstallation()), bearer).statusCode()).isEqualTo(200);
        String secret = wix.regenerateSecret();
        String refused = refreshTokenInstallation();
        HttpResponse<String> failing = Http.get(tokenUri(nodeB, refused), bearer);
        assertThat(failing.statusCode()).isEqualTo(502);
        assertThat(Http.json(failing).getString("error")).isEqualTo("app_secret_refused");

        HttpResponse<String> changed = Http.send(java.net.http.HttpRequest.newBuilder(
                        nodeA.baseUrl().resolve("/api/admin/apps/" + wix.appId() + "/secret"))
                .header("Authorization", "Bearer " + ENV.bearer("oauth-admin")).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(jakarta.json.Json.createObjectBuilder()
                        .add("secret", secret).add("reason", "regenerated in Wix's dashboard").build().toString()))
                .build());
        Instant set = Instant.now();
        assertThat(changed.statusCode()).isEqualTo(200);

        assertThat(Http.get(tokenUri(nodeA, refreshTokenInstallation()), bearer).statusCode()).as("node A, at once")
                .isEqualTo(200);
        HttpResponse<String> served = eventually(() -> Http.get(tokenUri(nodeB, refused), bearer),
                r -> r.statusCode() == 200, Duration.ofSeconds(15));
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(Duration.between(set, Instant.now())).as("node B took the new secret within")
                .isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(Http.json(served).getString("source")).isEqualTo("refresh_token");
        assertThat(ENV.database().installation(refused).get("mode")).isEqualTo("REFRESH_TOKEN");
        assertThat(ENV.database().installation(refused).get("failure_reason")).isNull();
    }

    /** Both nodes' waits for another node's fetch: their number, their total in ms, and the looks at the database. */
    private static double[] clusterWaits() {
        return new double[]{
                metric(nodeA, "oauth_token_cluster_wait_milliseconds_count")
                        + metric(nodeB, "oauth_token_cluster_wait_milliseconds_count"),
                metric(nodeA, "oauth_token_cluster_wait_milliseconds_sum")
                        + metric(nodeB, "oauth_token_cluster_wait_milliseconds_sum"),
                metric(nodeA, "oauth_token_cluster_wait_checks_total")
                        + metric(nodeB, "oauth_token_cluster_wait_checks_total")};
    }

    /**
     * The Wix API proxy's per-instance budget (oauth.proxy.calls-per-minute, 180) holds for both nodes together: 240
     * calls for one instance spread over them, and Wix receives 180; the rest are answered 429 by the nodes themselves.
     */
    @Test
    void theProxysBudgetForAnInstanceHoldsForBothNodesTogether() {
        BudgetMinute.awaitRoomInTheMinute();
        String instanceId = wix.installApp();
        String bearer = ENV.bearer("wix-caller");
        int before = wix.receivedFor(instanceId).size();
        AtomicInteger turn = new AtomicInteger();

        List<HttpResponse<String>> answers = Concurrently.run(8, i -> {
            List<HttpResponse<String>> mine = new java.util.ArrayList<>();
            for (int n = 0; n < 30; n++) {
                PayaraMicroProcess node = turn.getAndIncrement() % 2 == 0 ? nodeA : nodeB;
                mine.add(Http.get(proxyUri(node, instanceId), bearer));
            }
            return mine;
        }).stream().flatMap(List::stream).toList();

        assertThat(answers.stream().filter(a -> a.statusCode() == 200)).as("calls made").hasSize(180);
        assertThat(answers.stream().filter(a -> a.statusCode() == 429)
                .filter(a -> Http.json(a).getString("error").equals("rate_limited"))).as("refused by the nodes").hasSize(60);
        assertThat(wix.receivedFor(instanceId).size() - before).as("calls Wix received, both nodes together").isEqualTo(180);
        assertThat(metric(nodeA, "oauth_wix_calls_total")).as("node A called Wix").isPositive();
        assertThat(metric(nodeB, "oauth_wix_calls_total")).as("node B called Wix").isPositive();
    }

    /** Wix's 429 on one node holds the instance's calls on the other too, until Wix's Retry-After has passed. */
    @Test
    void wixsRetryAfterForAnInstanceHoldsBothNodes() {
        String instanceId = wix.installApp();
        String bearer = ENV.bearer("wix-caller");
        wix.failNext(Endpoint.CONTACTS, 1, Fault.throttled("5"));

        HttpResponse<String> throttled = Http.get(proxyUri(nodeA, instanceId), bearer);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("x-wix-request-id")).as("Wix's own 429").isPresent();
        int received = wix.receivedFor(instanceId).size();

        HttpResponse<String> held = Http.get(proxyUri(nodeB, instanceId), bearer);
        assertThat(held.statusCode()).as("the other node holds the call").isEqualTo(429);
        assertThat(Http.json(held).getString("error")).isEqualTo("rate_limited");
        assertThat(Integer.parseInt(held.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 5);
        assertThat(wix.receivedFor(instanceId)).as("Wix not called by node B").hasSize(received);
    }

    private static URI proxyUri(PayaraMicroProcess node, String instanceId) {
        return node.baseUrl().resolve("/api/v1/instances/" + instanceId + "/wix/contacts/v4/contacts");
    }

    /** A metric's value on one node (0 if it has none yet), summed over its tags. */
    private static double metric(PayaraMicroProcess node, String name) {
        return Http.get(node.baseUrl().resolve("/metrics?scope=application"), null).body().lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aBulkRefreshStartedOnANodeThatDiesIsFinishedByTheOtherWithoutCountingAnythingTwice() throws Exception {
        List<String> instances = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            instances.add(clientCredentialsInstallation());
        }
        wix.failNext(Endpoint.CREATE_ACCESS_TOKEN, 300, Fault.delay(Duration.ofMillis(15)));

        HttpResponse<String> started = adminPost(nodeA, "jobs/bulk-refresh", "{\"reason\":\"after the outage\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        String jobId = Http.json(started).getString("id");
        awaitJob(nodeB, jobId, job -> job.getJsonNumber("done").longValue() > 0);
        nodeA.kill();
        var finished = awaitJob(nodeB, jobId, job -> !"RUNNING".equals(job.getString("state")));

        assertThat(finished.getString("state")).isEqualTo("DONE");
        assertThat(finished.getJsonNumber("done").longValue()).isEqualTo(finished.getJsonNumber("total").longValue());
        assertThat(ENV.database().query("SELECT COUNT(*) AS n FROM shared_access_token WHERE expires_at IS NOT NULL "
                + "AND instance_id IN (" + String.join(",", instances.stream().map(id -> "'" + id + "'").toList()) + ")")
                .get(0).get("n")).as("every installation got a fresh token").isEqualTo(300L);

        wix.failNext(Endpoint.CREATE_ACCESS_TOKEN, 300, Fault.delay(Duration.ofMillis(15)));
        String second = Http.json(adminPost(nodeB, "jobs/bulk-refresh", "{\"reason\":\"second run\"}")).getString("id");
        var cancelled = Http.json(adminPost(nodeB, "jobs/" + second + "/cancel", "{\"reason\":\"changed my mind\"}"));
        assertThat(cancelled.getString("state")).isEqualTo("CANCELLED");
        // Two seconds: ample for a node's job runner to pick a job up again, were a cancelled one still runnable.
        assertThat(throughout(() -> job(nodeB, second).getString("state").equals("CANCELLED"), Duration.ofSeconds(2)))
                .as("a cancelled job stays cancelled").isTrue();
        var later = job(nodeB, second);
        assertThat(later.getJsonNumber("done").longValue()).isLessThan(later.getJsonNumber("total").longValue());
    }

    @Test
    void whenANodeDiesHoldingTheLeaseTheOtherTakesOverAfterTheLeaseRunsOut() throws Exception {
        String instanceId = refreshTokenInstallation();
        wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.delay(Duration.ofSeconds(5)));
        String bearer = ENV.bearer("token-reader");
        CompletableFuture.runAsync(() -> {
            try {
                Http.get(tokenUri(nodeA, instanceId), bearer);
            } catch (RuntimeException expected) {
                // node A dies before it answers
            }
        });
        assertThat(eventually(() -> !ENV.database().query("SELECT lease_holder FROM shared_access_token WHERE instance_id = ? "
                + "AND lease_holder IS NOT NULL", instanceId).isEmpty())).as("node A holds the lease, waiting for Wix").isTrue();
        nodeA.kill();

        Instant asked = Instant.now();
        HttpResponse<String> fromB = Http.get(tokenUri(nodeB, instanceId), bearer);

        assertThat(fromB.statusCode()).isEqualTo(200);
        assertThat(Http.json(fromB).getString("source")).isEqualTo("refresh_token");
        assertThat(Duration.between(asked, Instant.now())).as("no longer than the lease").isLessThan(Duration.ofSeconds(11));
        for (int i = 0; i < 20; i++) {
            assertThat(Http.get(tokenUri(nodeB, wix.installApp()), bearer).statusCode()).as("B keeps serving").isEqualTo(200);
        }
    }

    private String clientCredentialsInstallation() {
        String instanceId = wix.installApp();
        java.sql.Timestamp now = java.sql.Timestamp.from(Instant.now());
        ENV.database().update("INSERT INTO installation (instance_id, app_id, mode, state, created_at, updated_at, "
                + "installed_at, version) VALUES (?, ?, 'CLIENT_CREDENTIALS', 'INSTALLED', ?, ?, ?, 1)",
                instanceId, wix.appId(), now, now, now);
        return instanceId;
    }

    private static HttpResponse<String> adminPost(PayaraMicroProcess node, String path, String body) {
        return Http.send(java.net.http.HttpRequest.newBuilder(node.baseUrl().resolve("/api/admin/" + path))
                .header("Authorization", "Bearer " + ENV.bearer("oauth-admin")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static jakarta.json.JsonObject job(PayaraMicroProcess node, String jobId) {
        return Http.json(Http.get(node.baseUrl().resolve("/api/admin/jobs/" + jobId), ENV.bearer("oauth-viewer")));
    }

    private static jakarta.json.JsonObject awaitJob(PayaraMicroProcess node, String jobId,
                                                   java.util.function.Predicate<jakarta.json.JsonObject> until) {
        jakarta.json.JsonObject job = eventually(() -> job(node, jobId), until, Duration.ofSeconds(90));
        assertThat(until.test(job)).as("job " + jobId + " within 90 s: " + job).isTrue();
        return job;
    }

    /** A refresh-token installation written straight to the shared database, as a completed handshake leaves it. */
    private String refreshTokenInstallation() {
        String instanceId = UUID.randomUUID().toString();
        String refreshToken = wix.issueRefreshToken(instanceId);
        String keys = config.getProperty("oauth.token-encryption-keys");
        String active = config.getProperty("oauth.token-encryption-active-key");
        String sealed = new TokenCipher(KeyRing.parse(keys, active)).seal(InstanceId.of(instanceId), Secret.of(refreshToken));
        java.sql.Timestamp now = java.sql.Timestamp.from(Instant.now());
        ENV.database().update("INSERT INTO installation (instance_id, app_id, mode, state, refresh_token, created_at, "
                        + "updated_at, installed_at, version) VALUES (?, ?, 'REFRESH_TOKEN', 'INSTALLED', ?, ?, ?, ?, 1)",
                instanceId, wix.appId(), sealed, now, now, now);
        return instanceId;
    }

    private static URI tokenUri(PayaraMicroProcess node, String instanceId) {
        return node.baseUrl().resolve("/api/v1/instances/" + instanceId + "/access-token");
    }

    private static PayaraMicroProcess start(Path dir) {
        return ServiceNodes.start(dir, ServiceNodes.freePort(), config);
    }

    private static void wixFaultsCleared() {
        ENV.wix().clearFaults();
    }
}

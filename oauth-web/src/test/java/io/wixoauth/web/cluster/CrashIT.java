package io.wixoauth.web.cluster;

import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import io.wixoauth.web.support.Browser;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the service in the middle of a load of installs and refreshes (issue 5, fault injection). After a
 * restart on the same database: every install whose callback was answered with Wix's close-window redirect has its
 * refresh token and is served with it; every install Wix issued a refresh token for but whose callback was not
 * answered is either stored too or recorded as an interrupted install on client credentials, where operations see
 * it; nothing is half-written.
 */
class CrashIT {

    private static final ServiceEnvironment ENV = ServiceEnvironment.get();
    private static final Properties CONFIG = ServiceNodes.config();
    /** The port the simulator's registered Redirect URL names: the crashing node must be the one Wix sends back to. */
    private static final int PORT = ENV.service().getPort();

    private static PayaraMicroProcess node;

    private final WixSimulator wix = ENV.wix();

    /** One install attempt: whether its callback was answered with the close-window redirect before the crash. */
    private record Attempt(String instanceId, boolean closeWindowAnswered) {
    }

    @BeforeAll
    static void startNode() {
        node = ServiceNodes.start(ServiceNodes.itDir().resolve("crash-node"), PORT, CONFIG);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void afterAKillMidLoadEveryConfirmedInstallHasItsRefreshTokenAndTheRestAreVisibleFallbacks() throws Exception {
        List<String> established = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            established.add(Installs.withRefreshToken(ENV));
        }
        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        AtomicBoolean crashed = new AtomicBoolean();
        AtomicInteger refreshesServed = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(10);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            workers.add(load.submit(() -> {
                while (!crashed.get()) {
                    attempts.add(install());
                }
            }));
        }
        for (int i = 0; i < 4; i++) {
            int offset = i;
            workers.add(load.submit(() -> {
                String bearer = ENV.bearer("token-reader");
                for (int n = offset; !crashed.get(); n++) {
                    try {
                        if (Http.get(ENV.tokenUri(established.get(n % established.size())), bearer).statusCode() == 200) {
                            refreshesServed.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        // the node is gone
                    }
                }
            }));
        }

        Thread.sleep(4000);
        node.kill(); // SIGKILL: no shutdown hook, no transaction gets to finish
        crashed.set(true);
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        load.shutdownNow();
        node = ServiceNodes.start(ServiceNodes.itDir().resolve("crash-node-restarted"), PORT, CONFIG);

        assertThat(attempts.stream().filter(Attempt::closeWindowAnswered).count()).as("installs confirmed before the kill")
                .isGreaterThan(5);
        assertThat(refreshesServed.get()).isPositive();
        int interrupted = 0;
        for (Attempt attempt : attempts) {
            Map<String, Object> row = ENV.database().installation(attempt.instanceId());
            boolean wixIssuedARefreshToken = wix.refreshTokenOf(attempt.instanceId()).isPresent();
            if (attempt.closeWindowAnswered()) {
                assertThat(row).as("confirmed install " + attempt.instanceId()).containsEntry("mode", "REFRESH_TOKEN");
                assertServedWithItsRefreshToken(attempt.instanceId());
            } else if (wixIssuedARefreshToken) {
                assertThat(row).as("unconfirmed install " + attempt.instanceId() + " Wix issued a token for").isNotEmpty();
                if ("REFRESH_TOKEN".equals(row.get("mode"))) {
                    assertServedWithItsRefreshToken(attempt.instanceId()); // stored; only the answer was lost
                } else {
                    assertThat(row).containsEntry("mode", "CLIENT_CREDENTIALS_FALLBACK").containsEntry("refresh_token", null);
                    assertThat((String) row.get("failure_reason")).startsWith("INSTALL_INTERRUPTED");
                    interrupted++;
                }
            } else if (!row.isEmpty()) {
                assertThat(row).as("an install stopped before the code exchange").containsEntry("mode", "CLIENT_CREDENTIALS_FALLBACK");
            }
        }
        for (String instanceId : established) {
            assertServedWithItsRefreshToken(instanceId);
        }
        System.out.printf("CrashIT: %d install attempts, %d confirmed, %d interrupted after Wix issued a token, "
                + "%d token reads served before the kill%n", attempts.size(),
                attempts.stream().filter(Attempt::closeWindowAnswered).count(), interrupted, refreshesServed.get());
    }

    /**
     * An import's job killed in the middle (issue 10): after the restart the job goes on from the next uncommitted
     * batch, and every line is applied exactly once: no installation missing, none counted twice, nothing left staged.
     */
    @Test
    void anImportKilledMidJobFinishesAfterTheRestartWithEveryLineAppliedOnce() throws Exception {
        int lines = 20_000;
        String marker = "2021-07-07T07:07:07Z"; // this file's installedAt, to count its installations
        List<String> ids = new ArrayList<>();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            String id = java.util.UUID.randomUUID().toString();
            ids.add(id);
            file.append(jakarta.json.Json.createObjectBuilder().add("instanceId", id)
                    .add("refreshToken", wix.issueRefreshToken(id)).add("installedAt", marker).build()).append('\n');
        }
        String admin = ENV.bearer("oauth-admin");
        HttpResponse<String> upload = Http.send(java.net.http.HttpRequest.newBuilder(
                        ENV.service().resolve("api/admin/imports?reason=crash+test"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/x-ndjson")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(file.toString())).build());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        String jobId = Http.json(upload).getJsonObject("job").getString("id");

        long doneAtKill = awaitJob(jobId, admin, job -> job.getInt("done") >= 2_000, Duration.ofSeconds(60)).getInt("done");
        node.kill();
        node = ServiceNodes.start(ServiceNodes.itDir().resolve("crash-node-import"), PORT, CONFIG);
        jakarta.json.JsonObject finished = awaitJob(jobId, admin, job -> !"RUNNING".equals(job.getString("state")),
                Duration.ofSeconds(120));

        assertThat(doneAtKill).as("killed mid-job").isLessThan(lines);
        assertThat(finished.getString("state")).isEqualTo("DONE");
        assertThat(finished.getInt("done")).as("lines applied, once each").isEqualTo(lines);
        assertThat(finished.getString("detail")).startsWith("created " + lines + ", stored 0");
        assertThat(ENV.database().query("SELECT COUNT(*) AS n FROM installation WHERE installed_at = ?",
                java.time.OffsetDateTime.parse(marker)).get(0).get("n")).hasToString(String.valueOf(lines));
        assertThat(ENV.database().query("SELECT COUNT(*) AS n FROM import_line WHERE job_id = ?", jobId).get(0).get("n"))
                .hasToString("0");
        for (String id : List.of(ids.get(0), ids.get(lines / 2), ids.get(lines - 1))) {
            assertServedWithItsRefreshToken(id);
        }
        System.out.printf("CrashIT: import of %d lines killed at %d applied, finished after the restart%n", lines, doneAtKill);
    }

    private static jakarta.json.JsonObject awaitJob(String jobId, String bearer,
                                                    java.util.function.Predicate<jakarta.json.JsonObject> until,
                                                    Duration limit) {
        jakarta.json.JsonObject job = eventually(() -> {
            try {
                HttpResponse<String> answer = Http.get(ENV.service().resolve("api/admin/jobs/" + jobId), bearer);
                return answer.statusCode() == 200 ? Http.json(answer) : null;
            } catch (RuntimeException e) {
                return null; // the node is starting
            }
        }, seen -> seen != null && until.test(seen), limit);
        assertThat(job != null && until.test(job)).as("job " + jobId + " within " + limit + ": " + job).isTrue();
        return job;
    }

    /** One install through the browser flow; false unless the callback was answered with the close-window redirect. */
    private Attempt install() {
        String instanceId = wix.installApp();
        try {
            Browser browser = new Browser();
            URI consent = Browser.location(browser.get(ENV.service().resolve("oauth/install?token="
                    + wix.newInstallToken(instanceId))));
            URI callback = Browser.location(browser.approve(consent));
            HttpResponse<String> answer = browser.get(callback);
            boolean closeWindow = answer.statusCode() == 302 && answer.headers().firstValue("Location")
                    .filter(l -> l.startsWith(wix.baseUrl() + "/installer/close-window")
                            || l.contains("/installer/close-window")).isPresent();
            return new Attempt(instanceId, closeWindow);
        } catch (RuntimeException | AssertionError e) {
            return new Attempt(instanceId, false); // no answer: the node died on the way
        }
    }

    private void assertServedWithItsRefreshToken(String instanceId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        HttpResponse<String> response = ENV.accessToken(instanceId);
        while (response.statusCode() != 200 && Instant.now().isBefore(deadline)) {
            response = ENV.accessToken(instanceId);
        }
        assertThat(response.statusCode()).as(instanceId + ": " + response.body()).isEqualTo(200);
        assertThat(Http.json(response).getString("source")).as(instanceId).isEqualTo("refresh_token");
    }
}

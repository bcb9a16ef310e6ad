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

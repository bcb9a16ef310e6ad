package io.wixoauth.web.faults;

import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.Concurrently;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import org.jboss.arquillian.container.test.api.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service stays up when its clients are slow and when Wix hangs: health probes keep answering, a hanging Wix
 * holds only its share of the request threads, and an outage is not multiplied into calls to Wix.
 */
@ServiceIT
class OverloadIT {

    /** The orchestrator's probe is a client of its own, not one more request on the load's connections. */
    private static final HttpClient PROBE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();

    @AfterEach
    void clearFaults() {
        wix.clearFaults();
    }

    @Test
    void aHangingWixHoldsOnlyItsShareHealthAnswersAndEachInstanceCostsAtMostOneCall() throws Exception {
        int instances = 250;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            ids.add(wix.installApp());
        }
        // A service that has been running: its Wix client built, its code paths warm.
        String bearer = env.bearer("token-reader");
        assertThat(Http.get(env.tokenUri(wix.installApp()), bearer).statusCode()).isEqualTo(200);
        // Wix accepts the connection and never answers in time (the service's read timeout here is 1 s).
        wix.failNext(Endpoint.CREATE_ACCESS_TOKEN, 5_000, Fault.delay(Duration.ofSeconds(3)));
        int callsBefore = wix.calls(Endpoint.CREATE_ACCESS_TOKEN);

        CompletableFuture<List<HttpResponse<String>>> reads = CompletableFuture.supplyAsync(() ->
                Concurrently.run(instances, i -> Http.get(env.tokenUri(ids.get(i)), bearer)));
        List<Long> healthMillis = probeHealthWhile(() -> !reads.isDone(), Duration.ofSeconds(60));
        List<HttpResponse<String>> answers = reads.get(2, TimeUnit.MINUTES);

        int calls = wix.calls(Endpoint.CREATE_ACCESS_TOKEN) - callsBefore;
        System.out.printf("Wix hanging: %d token reads for %d instances cost %d calls to Wix; /health/ready p100 %d ms"
                + " over %d probes %s%n", instances, instances, calls, max(healthMillis), healthMillis.size(), healthMillis);
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.statusCode()).isEqualTo(503);
            assertThat(a.headers().firstValue("Retry-After")).isPresent();
        });
        assertThat(calls).as("calls to Wix for %d instances", instances).isLessThanOrEqualTo((int) (instances * 1.1));
        assertNeverUnready(healthMillis);

        wix.clearFaults();
        awaitServedAgain();
    }

    @Test
    void clientsTricklingWebhookBodiesHoldNoThreadAndAreCutOffWhileHealthAnswers() throws Exception {
        int clients = 220;
        List<Socket> sockets = new ArrayList<>();
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < clients; i++) {
                Socket socket = new Socket(env.service().getHost(), env.service().getPort());
                socket.getOutputStream().write(("POST /webhooks/wix HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                sockets.add(socket);
            }
            Instant started = Instant.now();
            // One byte to every client's body every two seconds: a request that would take over half an hour.
            trickler.scheduleAtFixedRate(() -> sockets.forEach(OverloadIT::sendOneByte), 0, 2, TimeUnit.SECONDS);

            List<Long> healthMillis = probeHealthWhile(
                    () -> Duration.between(started, Instant.now()).compareTo(Duration.ofSeconds(15)) < 0,
                    Duration.ofSeconds(20));
            System.out.printf("%d clients trickling webhook bodies: /health/ready p100 %d ms over %d probes%n",
                    clients, max(healthMillis), healthMillis.size());
            HttpResponse<String> token = Http.send(HttpRequest.newBuilder(env.tokenUri(wix.installApp()))
                    .header("Authorization", "Bearer " + env.bearer("token-reader")).timeout(Duration.ofSeconds(5)).build());
            assertThat(healthMillis).as("health probes answered").hasSizeGreaterThan(5);
            assertNeverUnready(healthMillis);
            assertThat(token.statusCode()).as("a backend is still served").isEqualTo(200);
            assertThat(sockets).as("every trickling client was answered or cut off within 15 s")
                    .allSatisfy(socket -> assertThat(answeredOrClosed(socket)).isTrue());
        } finally {
            trickler.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static void sendOneByte(Socket socket) {
        try {
            socket.getOutputStream().write('x');
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // cut off by the service
        }
    }

    /** True once the service answered or closed the connection; false if it still waits for the body. */
    private static boolean answeredOrClosed(Socket socket) {
        try {
            socket.setSoTimeout(1_000);
            socket.getInputStream().read();
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the service
        }
    }

    private List<Long> probeHealthWhile(java.util.function.BooleanSupplier going, Duration atMost) throws InterruptedException {
        List<Long> millis = new ArrayList<>();
        Instant end = Instant.now().plus(atMost);
        HttpRequest probe = HttpRequest.newBuilder(env.service().resolve("health/ready")).timeout(Duration.ofSeconds(5)).build();
        while (going.getAsBoolean() && Instant.now().isBefore(end)) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> health = PROBE.send(probe, HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"database\"");
            } catch (IOException e) {
                millis.add(5_000L); // no answer within 5 s
                continue;
            }
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            Thread.sleep(250);
        }
        return millis;
    }

    /** After the outage, the circuit breaker lets calls through again within its delay. */
    private void awaitServedAgain() throws InterruptedException {
        String bearer = env.bearer("token-reader");
        assertThat(eventually(() -> Http.get(env.tokenUri(wix.installApp()), bearer).statusCode(), status -> status == 200,
                Duration.ofSeconds(30))).as("served again once Wix answers").isEqualTo(200);
    }

    /**
     * What an orchestrator would conclude. Its probe gives up after 1 s (Kubernetes' default timeoutSeconds) and marks
     * the node unready after 3 failures in a row (failureThreshold). On this 2-core machine the load generator shares
     * the CPU with the service, so one probe of a burst may pass 1 s; two in a row, or any without an answer, may not.
     */
    private static void assertNeverUnready(List<Long> healthMillis) {
        assertThat(healthMillis).as("health probes answered").isNotEmpty().allSatisfy(ms -> assertThat(ms).isLessThan(2000));
        for (int i = 1; i < healthMillis.size(); i++) {
            assertThat(Math.min(healthMillis.get(i - 1), healthMillis.get(i)))
                    .as("two probes in a row over 1 s: %s", healthMillis).isLessThan(1000);
        }
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(-1);
    }
}

package io.wixoauth.bench;

import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.IdentityProvider;
import io.wixoauth.simulator.ServiceWiring;
import io.wixoauth.simulator.SimulatorSettings;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark harness: the built WAR on Payara Micro, the Wix simulator, and a closed-loop load generator (the JDK
 * HTTP client, latencies in HdrHistogram), all on loopback on this machine. Writes a Markdown table to the path given.
 * Ratios are taken in the same run so machine noise cancels.
 */
public final class Bench {

    private static final Duration WARMUP = Duration.ofSeconds(5);
    private static final Duration MEASURE = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        Path war = Path.of(args[0]);
        Path micro = Path.of(args[1]);
        Path results = Path.of(args[2]);
        new Bench().run(war, micro, results);
    }

    private void run(Path war, Path micro, Path results) throws Exception {
        Path work = Files.createTempDirectory("wixoauth-bench");
        int port = freePort();
        WixSimulator wix = WixSimulator.start(SimulatorSettings.random()
                .withRedirectUrls(List.of(ServiceWiring.redirectUrl(port))), 0);
        IdentityProvider idp = IdentityProvider.generate();
        Properties config = ServiceWiring.to(wix, wix.publishIdentityProviderKeys(idp),
                ServiceWiring.h2File(work.resolve("db/oauth")), port).asSystemProperties();

        StringBuilder table = new StringBuilder();
        Instant launched = Instant.now();
        try (PayaraMicroProcess service = PayaraMicroProcess.start(micro, war, work, port, config)) {
            if (!service.awaitReady(Duration.ofMinutes(3))) {
                throw new IllegalStateException("the service did not start; see " + service.log());
            }
            Duration startup = Duration.between(launched, Instant.now());
            long pid = service.pid();
            Thread.sleep(3000);
            long idleRss = rssMiB(pid);
            String bearer = idp.issue("bench", List.of("token-reader"), Duration.ofHours(1));

            table.append("| measurement | value |\n|---|---|\n");
            table.append("| start-up to ready (process launch to /health/ready with the database check) | ")
                    .append(String.format("%.1f s", startup.toMillis() / 1000.0)).append(" |\n");
            table.append("| resident memory, idle after start-up | ").append(idleRss).append(" MiB |\n\n");

            String instance = wix.installApp();
            URI token = service.baseUrl().resolve("/api/v1/instances/" + instance + "/access-token");
            URI noop = service.baseUrl().resolve("/health/live");
            send(token, bearer); // fill the cache
            table.append("### Token serving, warm cache, next to a no-op endpoint on the same server\n\n");
            table.append("| clients | token API req/s | no-op req/s | ratio | token p50 | token p99 | no-op p99 |\n");
            table.append("|---|---|---|---|---|---|---|\n");
            long maxRss = idleRss;
            for (int clients : new int[]{1, 16, 64}) {
                Load tokens = load(token, bearer, clients, pid);
                Load ceiling = load(noop, null, clients, pid);
                maxRss = Math.max(maxRss, Math.max(tokens.maxRssMiB, ceiling.maxRssMiB));
                table.append(String.format("| %d | %.0f | %.0f | %.2f | %.2f ms | %.2f ms | %.2f ms |%n", clients,
                        tokens.perSecond(), ceiling.perSecond(), tokens.perSecond() / ceiling.perSecond(),
                        tokens.latency.getValueAtPercentile(50) / 1000.0, tokens.latency.getValueAtPercentile(99) / 1000.0,
                        ceiling.latency.getValueAtPercentile(99) / 1000.0));
            }
            table.append(String.format("%nResident memory under load (peak seen): %d MiB. Every request was answered "
                    + "200: the harness stops on any other answer.%n%n", maxRss));

            table.append("### Upstream calls for N concurrent callers of one instance with no valid token\n\n");
            table.append("| N callers | calls to Wix by this service | by a client that refreshes on every request (the SDK with a refresh token) |\n");
            table.append("|---|---|---|\n");
            for (int callers : new int[]{1, 10, 100, 200}) {
                String fresh = wix.installApp();
                URI uri = service.baseUrl().resolve("/api/v1/instances/" + fresh + "/access-token");
                wix.failNext(Endpoint.CREATE_ACCESS_TOKEN, 1, Fault.delay(Duration.ofMillis(300)));
                int before = wix.calls(Endpoint.CREATE_ACCESS_TOKEN);
                burst(uri, bearer, callers);
                table.append("| ").append(callers).append(" | ").append(wix.calls(Endpoint.CREATE_ACCESS_TOKEN) - before)
                        .append(" | ").append(callers).append(" |\n");
            }
        } finally {
            wix.close();
        }
        String machine = Runtime.getRuntime().availableProcessors() + " cores, "
                + (Runtime.getRuntime().maxMemory() / (1024 * 1024)) + " MiB max heap for the load generator, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
        Files.writeString(results, """
                # Benchmark results

                Measured by `bench/run.sh` on %s, %s. Service, simulator and load generator share this machine's
                cores, all on loopback; closed-loop clients (JDK HTTP/1.1 client), %d s warm-up and %d s measured per
                row; latencies from HdrHistogram. The no-op endpoint is Payara's `/health/live` on the same server.

                %s
                """.formatted(machine, Instant.now(), WARMUP.toSeconds(), MEASURE.toSeconds(), table));
        System.out.println(Files.readString(results));
    }

    private record Load(long requests, Duration duration, Histogram latency, long maxRssMiB, long failures) {
        double perSecond() {
            return requests / (duration.toNanos() / 1e9);
        }
    }

    /** {@code clients} loops each sending one request after the other: warm-up, then the measured window. */
    private Load load(URI uri, String bearer, int clients, long pid) throws Exception {
        run(uri, bearer, clients, WARMUP, null);
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        AtomicLong[] counts = run(uri, bearer, clients, MEASURE, latency);
        return new Load(counts[0].get(), MEASURE, latency, rssMiB(pid), counts[1].get());
    }

    private AtomicLong[] run(URI uri, String bearer, int clients, Duration duration, Histogram latency) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Instant end = Instant.now().plus(duration);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            loops.add(CompletableFuture.runAsync(() -> {
                Histogram mine = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
                while (Instant.now().isBefore(end)) {
                    long started = System.nanoTime();
                    int status = send(uri, bearer);
                    mine.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started),
                            TimeUnit.SECONDS.toMicros(10)));
                    (status == 200 ? done : failed).incrementAndGet();
                }
                if (latency != null) {
                    synchronized (latency) {
                        latency.add(mine);
                    }
                }
            }, pool));
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).join();
        pool.shutdownNow();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " requests to " + uri + " did not answer 200");
        }
        return new AtomicLong[]{done, failed};
    }

    private void burst(URI uri, String bearer, int callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return send(uri, bearer);
            }, pool));
        }
        start.countDown();
        for (CompletableFuture<Integer> one : all) {
            if (one.join() != 200) {
                throw new IllegalStateException("a burst request failed");
            }
        }
        pool.shutdownNow();
    }

    private int send(URI uri, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

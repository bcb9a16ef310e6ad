package io.wixoauth.bench;

import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import org.HdrHistogram.Histogram;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Token reads across expiries (issue 22): 16 clients reading 50 busy instances whose tokens Wix issues for 30 s, on a
 * service whose tokens are served until 5 s before they expire and refreshed ahead by the defaults. What a backend
 * notices: whether any read waited for Wix (the service's own count), the slowest read, and whether Wix was called
 * once per token and no more.
 */
final class Expiries {

    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(30);
    static final Duration SKEW = Duration.ofSeconds(5);
    static final int INSTANCES = 50;
    static final int CLIENTS = 16;
    static final Duration NOOP = Duration.ofSeconds(60);

    record Result(Duration length, long reads, long failed, long waited, long fetchedAhead, long fetchedOnDemand,
                  int wixCalls, long tokensIssued, long mostTokensForAnInstance, long tokensAllowed, Histogram latency,
                  double slowestRefreshAheadMillis, Histogram noopLatency, double longestGcPauseMillis,
                  long gcPausesOver20Millis) {
    }

    private Expiries() {
    }

    /** {@code wix} issues tokens for {@link #TOKEN_LIFETIME}; the service reads it with {@link #SKEW}. */
    static Result run(PayaraMicroProcess service, WixSimulator wix, String reader, Duration length) {
        List<String> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(wix.installApp());
        }
        List<HttpRequest> reads = instances.stream().map(instance -> Bench.get(service.baseUrl()
                .resolve("/api/v1/instances/" + instance + "/access-token"), reader)).toList();
        reads.forEach(Load::status); // each instance's first token: its first read waits for Wix, before the measure
        Load.run(CLIENTS, Duration.ofSeconds(20), new RoundRobin(reads));

        Map<String, Double> before = Metrics.read(service);
        int callsBefore = wix.calls(Endpoint.CREATE_ACCESS_TOKEN);
        Map<String, Long> issuedBefore = issued(wix, instances);
        Load.Result result = Load.run(CLIENTS, length, new RoundRobin(reads));
        Map<String, Double> after = Metrics.read(service);
        // The same clients on the no-op for a while: the slowest answer the machine gives when the service does nothing.
        HttpRequest noop = Bench.get(service.baseUrl().resolve("/health/live"), null);
        Load.Result ceiling = Load.run(CLIENTS, NOOP, () -> Load.status(noop) == 200 ? 1 : 0);

        Map<String, Long> issued = issued(wix, instances);
        issued.replaceAll((instance, count) -> count - issuedBefore.getOrDefault(instance, 0L));
        long servedLife = TOKEN_LIFETIME.minus(SKEW).toMillis();
        // The defaults fetch a busy instance's next token in the last 10% of the time it is served: one every 22.5 s,
        // so a window of the measure's length holds at most this many fetches of an instance.
        long period = servedLife * 9 / 10;
        long allowed = (length.toMillis() + period - 1) / period;
        return new Result(length, result.succeeded(), result.failed(),
                delta(before, after, "oauth_token_reads_waited_total"),
                delta(before, after, "oauth_token_fetches_total{trigger=\"ahead\"}"),
                delta(before, after, "oauth_token_fetches_total{trigger=\"on_demand\"}"),
                wix.calls(Endpoint.CREATE_ACCESS_TOKEN) - callsBefore,
                issued.values().stream().mapToLong(Long::longValue).sum(),
                issued.values().stream().mapToLong(Long::longValue).max().orElse(0), allowed, result.latency(),
                after.getOrDefault("oauth_token_refresh_ahead_milliseconds_max", -1.0), ceiling.latency(),
                gcPauses(service).stream().mapToDouble(Double::doubleValue).max().orElse(0),
                gcPauses(service).stream().filter(pause -> pause >= 20).count());
    }

    /** The service's garbage-collection pauses in its life so far, in milliseconds, from its GC log. */
    private static List<Double> gcPauses(PayaraMicroProcess service) {
        try {
            return java.nio.file.Files.readAllLines(service.gcLog()).stream().filter(line -> line.contains("Pause"))
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1)).filter(pause -> pause.endsWith("ms"))
                    .map(pause -> Double.parseDouble(pause.substring(0, pause.length() - 2))).toList();
        } catch (java.io.IOException | NumberFormatException e) {
            return List.of();
        }
    }

    /** Access tokens Wix issued per instance since it started. */
    private static Map<String, Long> issued(WixSimulator wix, List<String> instances) {
        return wix.issuedSecrets().stream().map(wix::instanceOfAccessToken).flatMap(java.util.Optional::stream)
                .filter(instances::contains).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static long delta(Map<String, Double> before, Map<String, Double> after, String metric) {
        return Math.round(after.getOrDefault(metric, 0.0) - before.getOrDefault(metric, 0.0));
    }

    /** Each read the next instance's, the clients together going round the instances. */
    private record RoundRobin(List<HttpRequest> reads, AtomicInteger next) implements java.util.function.IntSupplier {
        RoundRobin(List<HttpRequest> reads) {
            this(reads, new AtomicInteger());
        }

        @Override
        public int getAsInt() {
            return Load.status(reads.get(Math.floorMod(next.getAndIncrement(), reads.size()))) == 200 ? 1 : 0;
        }
    }
}

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

    record Result(Duration length, long reads, long failed, long waited, long fetchedAhead, long fetchedOnDemand,
                  int wixCalls, long tokensIssued, long mostTokensForAnInstance, long tokensAllowed, Histogram latency) {
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
        long issuedBefore = issued(wix, instances).values().stream().mapToLong(Long::longValue).sum();
        Load.Result result = Load.run(CLIENTS, length, new RoundRobin(reads));
        Map<String, Double> after = Metrics.read(service);

        Map<String, Long> issued = issued(wix, instances);
        long servedLife = TOKEN_LIFETIME.minus(SKEW).toMillis();
        // The defaults fetch a busy instance's next token in the last 10% of the time it is served: one every 22.5 s.
        long allowed = length.toMillis() / (servedLife * 9 / 10) + 1;
        return new Result(length, result.succeeded(), result.failed(),
                delta(before, after, "oauth_token_reads_waited_total"),
                delta(before, after, "oauth_token_fetches_total{trigger=\"ahead\"}"),
                delta(before, after, "oauth_token_fetches_total{trigger=\"on_demand\"}"),
                wix.calls(Endpoint.CREATE_ACCESS_TOKEN) - callsBefore,
                issued.values().stream().mapToLong(Long::longValue).sum() - issuedBefore,
                issued.values().stream().mapToLong(Long::longValue).max().orElse(0), allowed, result.latency());
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

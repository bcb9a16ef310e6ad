package io.wixoauth.bench;

import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * A closed-loop load generator: {@code clients} loops, each doing one operation after the other for a while, with
 * latencies recorded in HdrHistogram. An operation returns 1 for success and 0 for failure.
 */
final class Load {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    record Result(long succeeded, long failed, Duration duration, Histogram latency) {
        double perSecond() {
            return succeeded / (duration.toNanos() / 1e9);
        }

        double p50Millis() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }
    }

    private Load() {
    }

    static Result run(int clients, Duration duration, IntSupplier operation) {
        AtomicLong succeeded = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Instant end = Instant.now().plus(duration);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            loops.add(CompletableFuture.runAsync(() -> {
                Histogram mine = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
                while (Instant.now().isBefore(end)) {
                    long started = System.nanoTime();
                    int ok = operation.getAsInt();
                    mine.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started),
                            TimeUnit.SECONDS.toMicros(60)));
                    (ok == 1 ? succeeded : failed).incrementAndGet();
                }
                synchronized (latency) {
                    latency.add(mine);
                }
            }, pool));
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).join();
        pool.shutdownNow();
        return new Result(succeeded.get(), failed.get(), duration, latency);
    }

    /** The status of one request, or -1 when there was no answer. */
    static int status(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no answer from " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.wixoauth.bench;

import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import jakarta.json.Json;
import org.HdrHistogram.Histogram;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A steady mixed load for a long while: token reads, installs, webhooks and admin reads at fixed rates, each spread
 * evenly over every second (open loop: the rate does not drop when the service slows down). Per minute: latencies, errors, and the process's
 * heap after a full GC, resident memory and open sockets.
 */
final class Soak {

    static final int TOKEN_READS_PER_SECOND = 50;
    static final int INSTALLS_PER_SECOND = 2;
    static final int WEBHOOKS_PER_SECOND = 5;
    static final int ADMIN_READS_PER_SECOND = 2;

    record Minute(int minute, long operations, long errors, Histogram tokenLatency, Histogram installLatency,
                  long heapAfterGcMiB, long rssMiB, long openSockets) {
    }

    private final PayaraMicroProcess service;
    private final WixSimulator wix;
    private final String reader;
    private final String operator;
    private final Duration duration;

    Soak(PayaraMicroProcess service, WixSimulator wix, String reader, String operator, Duration duration) {
        this.service = service;
        this.wix = wix;
        this.reader = reader;
        this.operator = operator;
        this.duration = duration;
    }

    List<Minute> run() throws InterruptedException {
        InstallFlow flow = new InstallFlow(wix, service.baseUrl());
        List<HttpRequest> tokens = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            tokens.add(Bench.get(service.baseUrl().resolve("/api/v1/instances/" + wix.installApp() + "/access-token"), reader));
        }
        while (tokens.size() < 100) {
            String installed = flow.install();
            if (installed != null) {
                tokens.add(Bench.get(service.baseUrl().resolve("/api/v1/instances/" + installed + "/access-token"), reader));
            }
        }
        HttpRequest admin = Bench.get(service.baseUrl().resolve("/api/admin/installations?limit=50"), operator);
        String webhookInstance = wix.installApp();

        ExecutorService workers = Executors.newFixedThreadPool(64);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        List<Minute> minutes = new ArrayList<>();
        AtomicLong operations = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Histogram[] tokenLatency = {histogram()};
        Histogram[] installLatency = {histogram()};
        AtomicLong tick = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        // Every 10 ms, whatever falls due: each kind of operation spread evenly over the second, as independent
        // callers arrive, not fired together on the second (that measured the burst's own queue, not the service).
        clock.scheduleAtFixedRate(() -> {
            long step = tick.getAndIncrement();
            for (long i = due(step, TOKEN_READS_PER_SECOND); i > 0; i--) {
                HttpRequest token = tokens.get((int) (reads.getAndIncrement() % tokens.size()));
                workers.submit(() -> timed(tokenLatency, operations, errors, () -> Load.status(token) == 200));
            }
            for (long i = due(step, INSTALLS_PER_SECOND); i > 0; i--) {
                workers.submit(() -> timed(installLatency, operations, errors, () -> flow.install() != null));
            }
            for (long i = due(step, WEBHOOKS_PER_SECOND); i > 0; i--) {
                workers.submit(() -> timed(null, operations, errors, () -> webhook(webhookInstance)));
            }
            for (long i = due(step, ADMIN_READS_PER_SECOND); i > 0; i--) {
                workers.submit(() -> timed(null, operations, errors, () -> Load.status(admin) == 200));
            }
        }, 0, 10, TimeUnit.MILLISECONDS);

        Instant end = Instant.now().plus(duration);
        for (int minute = 1; Instant.now().isBefore(end); minute++) {
            Thread.sleep(Math.min(60_000, Duration.between(Instant.now(), end).toMillis()));
            Histogram tokensThisMinute;
            Histogram installsThisMinute;
            synchronized (this) {
                tokensThisMinute = tokenLatency[0];
                installsThisMinute = installLatency[0];
                tokenLatency[0] = histogram();
                installLatency[0] = histogram();
            }
            long pid = service.pid();
            minutes.add(new Minute(minute, operations.getAndSet(0), errors.getAndSet(0), tokensThisMinute,
                    installsThisMinute, Memory.heapAfterGcMiB(pid), Memory.rssMiB(pid), Memory.openSockets(pid)));
        }
        clock.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(60, TimeUnit.SECONDS);
        return minutes;
    }

    /** How many of {@code perSecond} operations fall due at this 10 ms step: evenly spaced over each second. */
    private static long due(long step, int perSecond) {
        long inSecond = step % STEPS_PER_SECOND;
        return (inSecond + 1) * perSecond / STEPS_PER_SECOND - inSecond * perSecond / STEPS_PER_SECOND;
    }

    private static final int STEPS_PER_SECOND = 100;

    private boolean webhook(String instanceId) {
        String body = wix.webhooks().sign("AppInstalled", instanceId,
                Json.createObjectBuilder().add("appId", wix.appId()).build(), Instant.now());
        return Load.status(HttpRequest.newBuilder(service.baseUrl().resolve("/webhooks/wix"))
                .header("Content-Type", "text/plain").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()) == 200;
    }

    private void timed(Histogram[] latency, AtomicLong operations, AtomicLong errors, BooleanSupplier operation) {
        long started = System.nanoTime();
        boolean ok = operation.getAsBoolean();
        long micros = Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started), TimeUnit.SECONDS.toMicros(60));
        operations.incrementAndGet();
        if (!ok) {
            errors.incrementAndGet();
        }
        if (latency != null) {
            synchronized (this) {
                latency[0].recordValue(micros);
            }
        }
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    }
}

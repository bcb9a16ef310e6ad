package io.wixoauth.bench;

import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.HdrHistogram.Histogram;

import com.sun.net.httpserver.HttpServer;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The doors in and out: an install base imported (100,000 NDJSON lines, timed from the upload to the job's DONE) and
 * events relayed to a local receiver (throughput, and the lag from an event's commit to its arrival).
 */
final class Doors {

    record ImportResult(int lines, Duration upload, Duration total, String state, String detail) {
    }

    /** {@code eventsPerSecond} 0: sent all at once. */
    record RelayResult(int events, Duration took, Histogram lagMicros, int eventsPerSecond, int duplicates,
                       int outOfOrder) {
        double perSecond() {
            return events / (took.toMillis() / 1000.0);
        }
    }

    private final PayaraMicroProcess service;
    private final WixSimulator wix;
    private final String operator;

    Doors(PayaraMicroProcess service, WixSimulator wix, String operator) {
        this.service = service;
        this.wix = wix;
        this.operator = operator;
    }

    ImportResult importBase(int lines) throws Exception {
        StringBuilder file = new StringBuilder(lines * 120);
        for (int i = 0; i < lines; i++) {
            String id = UUID.randomUUID().toString();
            file.append("{\"instanceId\":\"").append(id).append("\",\"refreshToken\":\"")
                    .append(wix.issueRefreshToken(id)).append("\"}\n");
        }
        Instant started = Instant.now();
        HttpResponse<String> answer = Load.send(HttpRequest.newBuilder(service.baseUrl()
                        .resolve("/api/admin/imports?reason=benchmark"))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "application/x-ndjson")
                .timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(file.toString())).build());
        Duration upload = Duration.between(started, Instant.now());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("the import was refused: " + answer.statusCode() + " " + answer.body());
        }
        String job = Bench.json(answer.body()).getJsonObject("job").getString("id");
        JsonObject state;
        do {
            Thread.sleep(250);
            state = Bench.json(Load.send(Bench.get(service.baseUrl().resolve("/api/admin/jobs/" + job), operator)).body());
        } while ("RUNNING".equals(state.getString("state")) && Duration.between(started, Instant.now()).toMinutes() < 20);
        return new ImportResult(lines, upload, Duration.between(started, Instant.now()), state.getString("state"),
                state.getString("detail", ""));
    }

    /**
     * {@code installs} AppInstalled webhooks, each relayed as two events (Wix's and installation.completed) to a
     * receiver subscribed to every type: from 16 senders at once ({@code webhooksPerSecond} 0, for throughput), or
     * paced at {@code webhooksPerSecond} (for the lag at a steady rate). Lag is measured on installation.completed,
     * whose timestamp is taken in the transaction that writes it. Each instance's two events must arrive in order, and
     * each event once (by its {@code webhook-id}).
     */
    RelayResult relay(int installs, int webhooksPerSecond) throws Exception {
        int expected = installs * 2;
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Set<String> installedSeen = ConcurrentHashMap.newKeySet();
        AtomicLong last = new AtomicLong();
        Histogram lag = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        receiver.setExecutor(Executors.newFixedThreadPool(16));
        receiver.createContext("/events", exchange -> {
            Instant at = Instant.now();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonObject event = Json.createReader(new StringReader(body)).readObject();
            if (!seen.add(exchange.getRequestHeaders().getFirst("webhook-id"))) {
                duplicates.incrementAndGet();
            }
            String instance = event.getJsonObject("data").getString("instanceId", "");
            if ("installation.completed".equals(event.getString("type"))) {
                if (!installedSeen.contains(instance)) {
                    outOfOrder.incrementAndGet(); // Wix's own event for the instance was written first
                }
                long micros = Duration.between(Instant.parse(event.getString("timestamp")), at).toNanos() / 1000;
                synchronized (lag) {
                    lag.recordValue(Math.max(0, Math.min(micros, lag.getHighestTrackableValue())));
                }
            } else {
                installedSeen.add(instance);
            }
            arrived.incrementAndGet();
            last.set(System.nanoTime());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String subscriptionId = null;
        try {
            String subscription = Json.createObjectBuilder()
                    .add("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/events")
                    .add("eventTypes", Json.createArrayBuilder().add("*")).add("reason", "benchmark").build().toString();
            HttpResponse<String> created = Load.send(HttpRequest.newBuilder(service.baseUrl().resolve("/api/admin/subscriptions"))
                    .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(subscription)).build());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("the subscription was refused: " + created.body());
            }
            subscriptionId = Bench.json(created.body()).getJsonObject("subscription").getString("id");
            long started = System.nanoTime();
            ExecutorService senders = Executors.newFixedThreadPool(16);
            AtomicInteger refused = new AtomicInteger();
            Runnable send = () -> {
                String body = wix.webhooks().sign("AppInstalled", UUID.randomUUID().toString(),
                        Json.createObjectBuilder().add("appId", wix.appId()).build(), Instant.now());
                if (wix.webhooks().post(service.baseUrl().resolve("/webhooks/wix"), body) != 200) {
                    refused.incrementAndGet();
                }
            };
            if (webhooksPerSecond <= 0) {
                for (int i = 0; i < installs; i++) {
                    senders.execute(send);
                }
            } else {
                long every = TimeUnit.SECONDS.toNanos(1) / webhooksPerSecond;
                for (int i = 0; i < installs; i++) {
                    long due = started + i * every;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    senders.execute(send);
                }
            }
            senders.shutdown();
            senders.awaitTermination(10, TimeUnit.MINUTES);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (arrived.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (refused.get() > 0 || arrived.get() < expected) {
                throw new IllegalStateException(refused.get() + " webhooks refused, " + arrived.get() + " of " + expected
                        + " events arrived");
            }
            return new RelayResult(expected, Duration.ofNanos(last.get() - started), lag, webhooksPerSecond * 2,
                    duplicates.get(), outOfOrder.get());
        } finally {
            if (subscriptionId != null) { // the soak that follows must not feed a receiver that is gone
                Load.send(HttpRequest.newBuilder(service.baseUrl().resolve("/api/admin/subscriptions/" + subscriptionId
                        + "?reason=benchmark+done")).header("Authorization", "Bearer " + operator).DELETE().build());
            }
            receiver.stop(0);
            ((ExecutorService) receiver.getExecutor()).shutdownNow();
        }
    }
}

package io.wixoauth.web.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A company's backend receiving relayed events: a real HTTP server on loopback that records every request and
 * answers 204, or what the test scripted for the next requests (a 500, a 429 with Retry-After, a 410).
 */
public final class EventReceiver implements AutoCloseable {

    public record Received(HttpHeaders headers, String body, Instant at, int answeredWith) {
    }

    private record Answer(int status, Map<String, String> headers, java.time.Duration delay) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();

    public EventReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Answer answer;
            synchronized (this) {
                answer = script.isEmpty() ? new Answer(204, Map.of(), java.time.Duration.ZERO) : script.poll();
                received.add(new Received(HttpHeaders.of(exchange.getRequestHeaders(), (a, b) -> true), body,
                        Instant.now(), answer.status()));
            }
            try {
                Thread.sleep(answer.delay().toMillis()); // a receiver that takes its time, or hangs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), -1);
            exchange.close();
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    }

    /** The next {@code times} requests are answered {@code status} with {@code headers}. */
    public synchronized void answerNext(int times, int status, Map<String, String> headers) {
        for (int i = 0; i < times; i++) {
            script.add(new Answer(status, headers, java.time.Duration.ZERO));
        }
    }

    /** The next request is held for {@code delay} before its 204: the sender may give up, or die, meanwhile. */
    public synchronized void holdNext(java.time.Duration delay) {
        script.add(new Answer(204, Map.of(), delay));
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

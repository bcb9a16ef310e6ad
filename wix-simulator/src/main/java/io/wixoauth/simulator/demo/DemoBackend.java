package io.wixoauth.simulator.demo;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * "Your backend" in the demo: subscribed to every event the service relays, it verifies each one's signature with the
 * Standard Webhooks library, as a company's backend would, drops one it has seen (by webhook-id) and prints it.
 */
final class DemoBackend implements AutoCloseable {

    static final String PATH = "/demo-backend/events";

    private final HttpServer server;
    /** The last ids seen, enough to drop a redelivery; bounded so a long demo does not grow without end. */
    private final Set<String> seen = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    }));
    private volatile Webhook verifier;

    private DemoBackend(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port and subscribes through the admin API, replacing an earlier demo's subscription. */
    static DemoBackend start(URI service, String operatorToken, PrintStream out) throws IOException, InterruptedException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 20);
        DemoBackend backend = new DemoBackend(server);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "demo-backend");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext(PATH, exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = backend.receive(body, exchange.getRequestHeaders(), out);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        backend.subscribe(service, operatorToken);
        return backend;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    private int receive(String body, java.util.Map<String, java.util.List<String>> headers, PrintStream out) {
        try {
            verifier.verify(body, headers);
        } catch (WebhookVerificationException | RuntimeException e) {
            out.println("[your backend] refused an event: " + e.getMessage());
            return 400;
        }
        String id = headers.getOrDefault("Webhook-id", java.util.List.of("?")).get(0);
        if (!seen.add(id)) {
            return 204; // delivered before: at least once means sometimes twice
        }
        JsonObject event = Json.createReader(new StringReader(body)).readObject();
        JsonObject data = event.getJsonObject("data");
        StringBuilder line = new StringBuilder("[your backend] ").append(event.getString("type"))
                .append(" for site ").append(data.getString("instanceId", "-"));
        data.forEach((name, value) -> {
            if (!name.equals("instanceId") && value.getValueType() == JsonValue.ValueType.STRING) {
                line.append(", ").append(name).append('=').append(((jakarta.json.JsonString) value).getString());
            }
        });
        out.println(line.append("  (signature verified)"));
        return 204;
    }

    private void subscribe(URI service, String operatorToken) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI subscriptions = service.resolve("/api/admin/subscriptions");
        HttpResponse<String> existing = client.send(admin(subscriptions, operatorToken).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (existing.statusCode() == 200) {
            for (JsonValue item : Json.createReader(new StringReader(existing.body())).readArray()) {
                JsonObject subscription = item.asJsonObject();
                if (URI.create(subscription.getString("url")).getPath().equals(PATH)) { // an earlier demo's backend
                    client.send(admin(subscriptions.resolve("subscriptions/" + subscription.getString("id")
                            + "?reason=demo+restarted"), operatorToken).DELETE().build(), HttpResponse.BodyHandlers.discarding());
                }
            }
        }
        String request = Json.createObjectBuilder().add("url", url().toString())
                .add("eventTypes", Json.createArrayBuilder().add("*")).add("reason", "the demo's backend").build().toString();
        HttpResponse<String> created = client.send(admin(subscriptions, operatorToken)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IOException("The service refused the demo backend's subscription: " + created.statusCode());
        }
        String secret = Json.createReader(new StringReader(created.body())).readObject().getString("secret");
        try {
            verifier = new Webhook(secret);
        } catch (com.standardwebhooks.exceptions.EmptyWebhookSecretException e) {
            throw new IOException(e);
        }
    }

    private static HttpRequest.Builder admin(URI uri, String token) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

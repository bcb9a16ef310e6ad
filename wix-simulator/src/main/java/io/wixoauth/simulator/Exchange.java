package io.wixoauth.simulator;

import com.sun.net.httpserver.HttpExchange;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** One request to the simulator, with the ways Wix answers: JSON, Wix-shaped errors, HTML pages and redirects. */
final class Exchange {

    private static final int MAX_BODY = 64 * 1024;

    /** The largest body a data API takes here (Wix does not publish its limit; large enough for a streaming test). */
    static final int MAX_DATA_BODY = 16 * 1024 * 1024;

    private final HttpExchange http;
    private byte[] body;

    Exchange(HttpExchange http) {
        this.http = http;
    }

    String method() {
        return http.getRequestMethod();
    }

    String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    Map<String, String> query() {
        return parseForm(http.getRequestURI().getRawQuery());
    }

    Map<String, String> formBody() throws IOException {
        return parseForm(bodyText());
    }

    /** A JSON object body sent as {@code application/json} (protocol section 0), or empty when it is anything else. */
    Optional<JsonObject> jsonBody() throws IOException {
        return json(header("Content-Type"), bodyText().getBytes(StandardCharsets.UTF_8));
    }

    static Optional<JsonObject> json(String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            return Optional.empty();
        }
        try (var reader = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
            JsonValue value = reader.readValue();
            return value instanceof JsonObject object ? Optional.of(object) : Optional.empty();
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    void json(int status, JsonObject body) throws IOException {
        send(status, "application/json", body.toString());
    }

    /** Wix's error shape (protocol section 0). */
    void wixError(int status, String message, String code) throws IOException {
        json(status, Json.createObjectBuilder()
                .add("message", message)
                .add("details", Json.createObjectBuilder().add("applicationError", Json.createObjectBuilder()
                        .add("code", code).add("description", message).add("data", JsonValue.EMPTY_JSON_OBJECT)))
                .build());
    }

    /** RFC 6749's error shape, which token endpoints may use instead (protocol section 0). */
    void oauthError(int status, String error, String description) throws IOException {
        json(status, Json.createObjectBuilder().add("error", error).add("error_description", description).build());
    }

    void html(int status, String body) throws IOException {
        send(status, "text/html; charset=utf-8", body);
    }

    void redirect(String location) throws IOException {
        http.getResponseHeaders().set("Location", location);
        send(302, "text/plain", "");
    }

    /**
     * Answers 429 with the seconds left in the instance's minute when {@code wait} says it is over its limit (protocol
     * section 0, for every API call); returns whether it did.
     */
    boolean throttled(Optional<java.time.Duration> wait) throws IOException {
        if (wait.isEmpty()) {
            return false;
        }
        retryAfter(String.valueOf(Math.max(1, wait.get().toSeconds())));
        wixError(429, "Too many requests for this app instance", "TOO_MANY_REQUESTS");
        return true;
    }

    void header(String name, String value) {
        http.getResponseHeaders().add(name, value);
    }

    void retryAfter(String value) {
        http.getResponseHeaders().set("Retry-After", value);
    }

    void send(int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", contentType);
        http.getResponseHeaders().set("x-wix-request-id", UUID.randomUUID().toString());
        http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            http.getResponseBody().write(bytes);
        }
        http.close();
    }

    /**
     * Starts a chunked 200 answer, sends its first bytes (a JSON start, padded with spaces to {@code firstBytes}),
     * then nothing for {@code silence}, and breaks off.
     */
    void stall(Duration silence, int firstBytes) throws IOException {
        http.getResponseHeaders().set("Content-Type", "application/json");
        http.getResponseHeaders().set("x-wix-request-id", UUID.randomUUID().toString());
        http.sendResponseHeaders(200, 0);
        String start = "{\"items\": [";
        http.getResponseBody().write((start + " ".repeat(Math.max(0, firstBytes - start.length())))
                .getBytes(StandardCharsets.UTF_8));
        http.getResponseBody().flush();
        try {
            Thread.sleep(silence.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close(); // the connection ends without the body's last chunk
    }

    /** Ends the exchange without an answer; the client sees the connection close. */
    void drop() {
        http.close();
    }

    private String bodyText() throws IOException {
        byte[] bytes = body();
        if (bytes.length > MAX_BODY) {
            throw new IOException("request body too large");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The whole body, read once (at most {@link #MAX_DATA_BODY} + 1 bytes: more is refused by the caller). */
    byte[] body() throws IOException {
        if (body == null) {
            try (InputStream in = http.getRequestBody()) {
                body = in.readNBytes(MAX_DATA_BODY + 1);
            }
        }
        return body;
    }

    String rawPath() {
        return http.getRequestURI().getRawPath();
    }

    String rawQuery() {
        return http.getRequestURI().getRawQuery();
    }

    /** Every request header, names in lower case. */
    Map<String, List<String>> headers() {
        Map<String, List<String>> headers = new java.util.TreeMap<>();
        http.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                List.copyOf(values)));
        return headers;
    }

    static Map<String, String> parseForm(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }
}

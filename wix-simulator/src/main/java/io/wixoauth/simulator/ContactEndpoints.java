package io.wixoauth.simulator;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A site's contacts, as Wix's Contacts API v4 keeps them ({@code /contacts/v4/contacts}): the data API the proxy and the
 * examples call. Create, get, list, update (by revision) and delete, with Wix's error shapes: a validation error for a
 * missing {@code info}, {@code DUPLICATE_CONTACT_EXISTS} for a second contact with the same email,
 * {@code CONTACT_NOT_FOUND}, {@code CONTACT_ALREADY_CHANGED} for a stale revision. Every call needs the instance's
 * access token and counts against its per-minute limit (protocol section 0), like every Wix API call.
 */
final class ContactEndpoints {

    static final String PATH = "/contacts/v4/contacts";
    private static final int MAX_PAGE = 1000;

    private final WixState state;
    /** instance id → contact id → contact. */
    private final Map<String, Map<String, JsonObject>> contacts = new ConcurrentHashMap<>();

    ContactEndpoints(WixState state) {
        this.state = state;
    }

    void handle(Exchange exchange, String path, byte[] body) throws IOException {
        Optional<WixState.IssuedToken> token = AppEndpoints.authorized(exchange, state);
        if (token.isEmpty()) {
            return;
        }
        Map<String, JsonObject> site = contacts.computeIfAbsent(token.get().instanceId(), id -> new ConcurrentHashMap<>());
        String id = path.length() > PATH.length() ? path.substring(PATH.length() + 1) : null;
        if (id != null && (id.isEmpty() || id.contains("/"))) {
            exchange.wixError(404, "Not found", "NOT_FOUND");
            return;
        }
        switch (exchange.method() + (id == null ? "" : " id")) {
            case "POST" -> create(exchange, site, body);
            case "GET" -> list(exchange, site);
            case "GET id" -> found(exchange, site, id).ifPresent(c -> reply(exchange, c));
            case "PATCH id" -> update(exchange, site, id, body);
            case "DELETE id" -> {
                if (site.remove(id) == null) {
                    notFound(exchange, id);
                } else {
                    exchange.json(200, JsonValue.EMPTY_JSON_OBJECT);
                }
            }
            default -> exchange.wixError(405, "Method not allowed", "METHOD_NOT_ALLOWED");
        }
    }

    /** Adds {@code count} contacts to an instance's site without a call (test set-up: a large list to read). */
    void seed(String instanceId, int count, int noteLength) {
        Map<String, JsonObject> site = contacts.computeIfAbsent(instanceId, id -> new ConcurrentHashMap<>());
        String note = "n".repeat(noteLength);
        for (int i = 0; i < count; i++) {
            JsonObject info = Json.createObjectBuilder()
                    .add("name", Json.createObjectBuilder().add("first", "Seeded").add("last", "Contact " + i))
                    .add("extendedFields", Json.createObjectBuilder().add("items",
                            Json.createObjectBuilder().add("custom.note", note)))
                    .build();
            JsonObject contact = newContact(info);
            site.put(contact.getString("id"), contact);
        }
    }

    private void create(Exchange exchange, Map<String, JsonObject> site, byte[] body) throws IOException {
        Optional<JsonObject> request = parsed(exchange, body);
        if (request.isEmpty()) {
            return;
        }
        JsonObject info = request.get().getJsonObject("info");
        String email = primaryEmail(info);
        boolean allowDuplicates = request.get().getBoolean("allowDuplicates", false);
        if (email != null && !allowDuplicates) {
            Optional<JsonObject> duplicate = site.values().stream()
                    .filter(c -> email.equalsIgnoreCase(primaryEmail(c.getJsonObject("info")))).findFirst();
            if (duplicate.isPresent()) {
                exchange.json(409, applicationError("Contact with this email already exists", "DUPLICATE_CONTACT_EXISTS",
                        Json.createObjectBuilder().add("duplicateContactId", duplicate.get().getString("id")).build()));
                return;
            }
        }
        JsonObject contact = newContact(info);
        site.put(contact.getString("id"), contact);
        reply(exchange, contact);
    }

    private void list(Exchange exchange, Map<String, JsonObject> site) throws IOException {
        Map<String, String> query = exchange.query();
        int limit;
        int offset;
        try {
            limit = Integer.parseInt(query.getOrDefault("paging.limit", "50"));
            offset = Integer.parseInt(query.getOrDefault("paging.offset", "0"));
        } catch (NumberFormatException e) {
            exchange.json(400, validationError("paging", "must be a number"));
            return;
        }
        if (limit < 0 || limit > MAX_PAGE || offset < 0) {
            exchange.json(400, validationError("paging.limit", "must be between 0 and " + MAX_PAGE));
            return;
        }
        List<JsonObject> all = new ArrayList<>(site.values());
        all.sort((a, b) -> a.getString("createdDate").compareTo(b.getString("createdDate")));
        JsonArrayBuilder page = Json.createArrayBuilder();
        all.stream().skip(offset).limit(limit).forEach(page::add);
        exchange.json(200, Json.createObjectBuilder()
                .add("contacts", page)
                .add("pagingMetadata", Json.createObjectBuilder()
                        .add("count", (int) Math.max(0, Math.min(limit, all.size() - (long) offset)))
                        .add("offset", offset).add("total", all.size()).add("tooManyToCount", false))
                .build());
    }

    private void update(Exchange exchange, Map<String, JsonObject> site, String id, byte[] body) throws IOException {
        Optional<JsonObject> current = found(exchange, site, id);
        if (current.isEmpty()) {
            return;
        }
        Optional<JsonObject> request = parsed(exchange, body);
        if (request.isEmpty()) {
            return;
        }
        int revision = request.get().getInt("revision", -1);
        if (revision != current.get().getInt("revision")) {
            exchange.json(409, applicationError("The contact was changed since revision " + revision,
                    "CONTACT_ALREADY_CHANGED", JsonValue.EMPTY_JSON_OBJECT));
            return;
        }
        JsonObject updated = Json.createObjectBuilder(current.get())
                .add("revision", revision + 1)
                .add("updatedDate", Instant.now().toString())
                .add("info", request.get().getJsonObject("info"))
                .build();
        site.put(id, updated);
        reply(exchange, updated);
    }

    /** The body as Wix reads it: JSON, an object, with an {@code info} object; else a validation error. */
    private static Optional<JsonObject> parsed(Exchange exchange, byte[] body) throws IOException {
        Optional<JsonObject> request = Exchange.json(exchange.header("Content-Type"), body);
        if (request.isEmpty()) {
            exchange.json(400, validationError("body", "must be a JSON object"));
            return Optional.empty();
        }
        if (!(request.get().get("info") instanceof JsonObject)) {
            exchange.json(400, validationError("info", "must not be empty"));
            return Optional.empty();
        }
        return request;
    }

    private static Optional<JsonObject> found(Exchange exchange, Map<String, JsonObject> site, String id)
            throws IOException {
        JsonObject contact = site.get(id);
        if (contact == null) {
            notFound(exchange, id);
        }
        return Optional.ofNullable(contact);
    }

    private static void notFound(Exchange exchange, String id) throws IOException {
        exchange.json(404, applicationError("Contact " + id + " not found", "CONTACT_NOT_FOUND",
                JsonValue.EMPTY_JSON_OBJECT));
    }

    private static void reply(Exchange exchange, JsonObject contact) {
        try {
            exchange.json(200, Json.createObjectBuilder().add("contact", contact).build());
        } catch (IOException e) {
            exchange.drop();
        }
    }

    private static JsonObject newContact(JsonObject info) {
        String now = Instant.now().toString();
        JsonObjectBuilder contact = Json.createObjectBuilder()
                .add("id", UUID.randomUUID().toString())
                .add("revision", 1)
                .add("source", Json.createObjectBuilder().add("sourceType", "APP"))
                .add("createdDate", now)
                .add("updatedDate", now)
                .add("info", info);
        String email = primaryEmail(info);
        if (email != null) {
            contact.add("primaryInfo", Json.createObjectBuilder().add("email", email));
        }
        return contact.build();
    }

    private static String primaryEmail(JsonObject info) {
        if (info == null || !(info.get("emails") instanceof JsonObject emails)
                || !(emails.get("items") instanceof jakarta.json.JsonArray items) || items.isEmpty()
                || !(items.get(0) instanceof JsonObject first) || !(first.get("email") instanceof JsonString email)) {
            return null;
        }
        return email.getString();
    }

    /** Wix's error shape for a business rule (protocol section 0). */
    private static JsonObject applicationError(String message, String code, JsonObject data) {
        return Json.createObjectBuilder()
                .add("message", message)
                .add("details", Json.createObjectBuilder().add("applicationError", Json.createObjectBuilder()
                        .add("code", code).add("description", message).add("data", data)))
                .build();
    }

    /** Wix's error shape for a malformed request (protocol section 0). */
    private static JsonObject validationError(String field, String description) {
        return Json.createObjectBuilder()
                .add("message", field + " " + description)
                .add("details", Json.createObjectBuilder().add("validationError", Json.createObjectBuilder()
                        .add("fieldViolations", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                .add("field", field).add("description", description)
                                .add("violatedRule", "VALIDATION")))))
                .build();
    }
}

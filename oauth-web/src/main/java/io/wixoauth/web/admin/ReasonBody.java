package io.wixoauth.web.admin;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.error.InvalidRequestException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The {@code {"reason": "..."}} body of every admin action. Read here rather than by the JSON provider, so that any
 * body that is not such an object (truncated, {@code null}, nested past the parser's limit) is a 400 with a clear
 * message, never a provider exception turned into a 500.
 */
final class ReasonBody {

    private ReasonBody() {
    }

    /** The reason, or null when the object has none; the service layer decides whether it is required. */
    static String reason(String body) {
        JsonValue value;
        try (var reader = Jsonp.reader(body == null ? "" : body)) {
            value = reader.readValue();
        } catch (RuntimeException e) { // JsonException, and Parsson's plain RuntimeException for too-deep input
            throw notAnObject();
        }
        if (!(value instanceof JsonObject object)) {
            throw notAnObject();
        }
        return object.get("reason") instanceof JsonString text ? text.getString() : null;
    }

    private static InvalidRequestException notAnObject() {
        return new InvalidRequestException("The body must be a JSON object such as {\"reason\": \"why this is done\"}.");
    }
}

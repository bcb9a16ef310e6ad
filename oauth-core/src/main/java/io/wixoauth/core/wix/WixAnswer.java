package io.wixoauth.core.wix;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.Secret;
import io.wixoauth.api.error.UpstreamRejectedException;
import io.wixoauth.api.error.UpstreamThrottledException;
import io.wixoauth.api.error.UpstreamUnavailableException;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One answer from a Wix OAuth endpoint, turned into a token or into a classified error. Pure: no I/O, so every rule
 * here is tested without a server.
 */
public record WixAnswer(int status, String body, String wixRequestId, String retryAfterHeader) {

    /** Longer waits than this are not believed: a garbled header must not silence an instance for a day. */
    static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(10);

    public WixAnswer(int status, String body, String wixRequestId) {
        this(status, body, wixRequestId, null);
    }

    /** Client-credentials tokens live 4 hours (protocol section 9); used only if Wix leaves out {@code expires_in}. */
    static final Duration DEFAULT_CLIENT_CREDENTIALS_LIFETIME = Duration.ofHours(4);

    /** Advanced-OAuth access tokens live 5 minutes (protocol section 9). */
    static final Duration DEFAULT_ADVANCED_LIFETIME = Duration.ofMinutes(5);

    public boolean isSuccess() {
        return status == 200;
    }

    /**
     * Wix refused the app's own credentials, not this request's grant: {@code invalid_client} (RFC 6749 section 5.2;
     * protocol section 12, a regenerated secret). Every call of the app would be refused alike.
     */
    public boolean refusesClient() {
        return status >= 400 && status < 500 && status != 429 && errorCode().filter("invalid_client"::equals).isPresent();
    }

    /**
     * 400/401/403/404 and other 4xx are permanent: the same request will fail again. 429 and 5xx are transient
     * (protocol section 0, rate limits; section 4, which errors mean "retry").
     */
    public RuntimeException toFailure(String operation) {
        String reference = wixRequestId == null ? "" : ", Wix request id " + wixRequestId;
        if (status == 429) {
            return new UpstreamThrottledException("Wix is throttling calls for this instance (HTTP 429" + reference
                    + "); try again later", retryAfter().orElse(null));
        }
        if (status >= 500 || status < 400) {
            return new UpstreamUnavailableException(
                    "Wix could not " + operation + " right now (HTTP " + status + reference + "); try again shortly");
        }
        return new UpstreamRejectedException(
                "Wix refused to " + operation + " (HTTP " + status + errorCode().map(c -> ", " + c).orElse("")
                        + reference + ")", status);
    }

    /**
     * Wix's {@code Retry-After}, in delta-seconds or as an HTTP date (RFC 9110 section 10.2.3); empty when absent,
     * unreadable, or past {@link #LONGEST_RETRY_AFTER}.
     */
    public Optional<Duration> retryAfter() {
        if (retryAfterHeader == null || retryAfterHeader.isBlank()) {
            return Optional.empty();
        }
        String value = retryAfterHeader.trim();
        Duration wait;
        try {
            wait = value.chars().allMatch(Character::isDigit) && value.length() <= 9
                    ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.between(Instant.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        return wait.isNegative() || wait.compareTo(LONGEST_RETRY_AFTER) > 0 ? Optional.empty() : Optional.of(wait);
    }

    /** The access token and lifetime of a successful Create Access Token answer (protocol section 1). */
    public WixToken toClientCredentialsToken() {
        JsonObject json = jsonBody().orElseThrow(() -> unreadable("the body is not a JSON object"));
        String token = string(json, "access_token").orElseThrow(() -> unreadable("access_token is missing"));
        Duration lifetime = seconds(json, "expires_in").orElse(DEFAULT_CLIENT_CREDENTIALS_LIFETIME);
        return new WixToken(Secret.of(token), lifetime);
    }

    /**
     * The tokens of a successful code exchange or refresh (protocol sections 3-4). Wix documents no {@code expires_in}
     * there; the access token lives 5 minutes (section 9), which is assumed unless Wix says otherwise.
     */
    public WixGrant toGrant() {
        JsonObject json = jsonBody().orElseThrow(() -> unreadable("the body is not a JSON object"));
        String token = string(json, "access_token").orElseThrow(() -> unreadable("access_token is missing"));
        Duration lifetime = seconds(json, "expires_in").orElse(DEFAULT_ADVANCED_LIFETIME);
        return new WixGrant(Secret.of(token), string(json, "refresh_token").map(Secret::of), lifetime);
    }

    /**
     * A Token Info answer (protocol section 5). Wix's docs show {@code active} as a string and the SDK reads a
     * boolean (marked uncertain): both are read; anything else is "not active".
     */
    public TokenInfo toTokenInfo() {
        JsonObject json = jsonBody().orElseThrow(() -> unreadable("the body is not a JSON object"));
        JsonValue active = json.get("active");
        boolean isActive = JsonValue.TRUE.equals(active)
                || (active instanceof JsonString s && "true".equalsIgnoreCase(s.getString()));
        return new TokenInfo(isActive, string(json, "clientId"), string(json, "instanceId"));
    }

    /**
     * Wix errors come as {@code {message, details:{applicationError:{code}}}} or, from token endpoints, RFC 6749's
     * {@code {error, error_description}} (protocol section 0, marked uncertain: both are read).
     */
    Optional<String> errorCode() {
        return jsonBody().flatMap(json -> string(json, "error").or(() -> applicationErrorCode(json)));
    }

    private static Optional<String> applicationErrorCode(JsonObject json) {
        JsonValue details = json.get("details");
        if (details instanceof JsonObject d && d.get("applicationError") instanceof JsonObject error) {
            return string(error, "code");
        }
        return Optional.empty();
    }

    private Optional<JsonObject> jsonBody() {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try (var reader = Jsonp.reader(body)) {
            return reader.readValue() instanceof JsonObject object ? Optional.of(object) : Optional.empty();
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> string(JsonObject json, String name) {
        return json.get(name) instanceof JsonString s && !s.getString().isBlank() ? Optional.of(s.getString()) : Optional.empty();
    }

    /** Wix documents numbers but its docs show some numbers as strings (protocol section 5): accept both. */
    private static Optional<Duration> seconds(JsonObject json, String name) {
        JsonValue value = json.get(name);
        try {
            if (value instanceof JsonNumber n && n.longValueExact() > 0) {
                return Optional.of(Duration.ofSeconds(n.longValueExact()));
            }
            if (value instanceof JsonString s && Long.parseLong(s.getString()) > 0) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(s.getString())));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** A 200 we cannot read is Wix's fault and may pass: treated as transient. */
    private UpstreamUnavailableException unreadable(String why) {
        return new UpstreamUnavailableException("Wix sent an unreadable token answer (" + why + ")");
    }
}

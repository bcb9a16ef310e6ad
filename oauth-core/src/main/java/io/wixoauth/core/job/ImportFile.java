package io.wixoauth.core.job;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.Secret;
import io.wixoauth.api.error.InvalidIdentifierException;
import io.wixoauth.api.installation.InstanceId;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An import file read as it arrives: NDJSON, one installation a line. At most one line is in memory at a time, and a
 * line longer than {@value #MAX_LINE_BYTES} bytes is skipped without being kept, so a file of any size reads in flat
 * memory. Each line is checked on its own; a bad one is reported by its number and reason, never its content.
 */
final class ImportFile {

    static final int MAX_LINE_BYTES = 16 * 1024;
    /** Wix's refresh tokens are a few hundred characters; the sealed column holds a token of this length. */
    static final int MAX_TOKEN_CHARS = 1200;
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+"); // printable ASCII, no spaces

    /** A valid line. */
    record Line(long number, InstanceId instanceId, Secret refreshToken, Instant installedAt,
                InstanceId originInstanceId, String paidPlan) {
    }

    /** What reading the next line gave: a line, the reason it is bad, or nothing (a blank line). */
    record Read(long number, Line line, String problem) {
    }

    private final InputStream in;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private long number;
    private boolean ended;

    ImportFile(InputStream in) {
        this.in = in;
    }

    /** The next non-blank line, or empty at the end of the file. */
    Optional<Read> next() throws IOException {
        while (!ended) {
            number++;
            boolean tooLong = readLine();
            if (tooLong) {
                return Optional.of(new Read(number, null, "the line is longer than " + MAX_LINE_BYTES + " bytes"));
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buffer.toByteArray())).toString().strip();
            } catch (CharacterCodingException e) {
                return Optional.of(new Read(number, null, "the line is not UTF-8"));
            }
            if (!text.isEmpty()) {
                return Optional.of(parse(number, text));
            }
        }
        return Optional.empty();
    }

    /** Reads up to the next newline into the buffer; true when the line was too long (then it is skipped whole). */
    private boolean readLine() throws IOException {
        buffer.reset();
        boolean tooLong = false;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (buffer.size() < MAX_LINE_BYTES) {
                buffer.write(b);
            } else {
                tooLong = true;
            }
        }
        ended = b == -1;
        return tooLong;
    }

    static Read parse(long number, String text) {
        JsonObject json;
        try (var reader = Jsonp.reader(text)) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject object)) {
                return bad(number, "the line is not a JSON object");
            }
            json = object;
        } catch (JsonException | IllegalStateException e) {
            return bad(number, "the line is not JSON");
        }
        Optional<InstanceId> instanceId = instanceId(json, "instanceId");
        if (instanceId.isEmpty()) {
            return bad(number, "instanceId must be an instance id (a UUID)");
        }
        String token = text(json, "refreshToken");
        if (token == null || token.length() > MAX_TOKEN_CHARS || !TOKEN.matcher(token).matches()) {
            return bad(number, "refreshToken must be a token of 1 to " + MAX_TOKEN_CHARS + " printable characters");
        }
        Instant installedAt = null;
        if (json.containsKey("installedAt")) {
            try {
                installedAt = Instant.parse(String.valueOf(text(json, "installedAt")));
            } catch (DateTimeParseException e) {
                return bad(number, "installedAt must be an ISO-8601 time such as 2024-05-01T12:00:00Z");
            }
        }
        InstanceId origin = null;
        if (json.containsKey("originInstanceId") && json.get("originInstanceId") != JsonValue.NULL) {
            Optional<InstanceId> parsed = instanceId(json, "originInstanceId");
            if (parsed.isEmpty()) {
                return bad(number, "originInstanceId must be an instance id (a UUID)");
            }
            origin = parsed.get();
        }
        String paidPlan = null;
        if (json.containsKey("paidPlan") && json.get("paidPlan") != JsonValue.NULL) {
            paidPlan = text(json, "paidPlan");
            if (paidPlan == null || paidPlan.length() > 400) {
                return bad(number, "paidPlan must be text of at most 400 characters");
            }
        }
        return new Read(number, new Line(number, instanceId.get(), Secret.of(token), installedAt, origin, paidPlan), null);
    }

    private static Optional<InstanceId> instanceId(JsonObject json, String name) {
        String value = text(json, name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InstanceId.of(value));
        } catch (InvalidIdentifierException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonObject json, String name) {
        return json.get(name) instanceof JsonString s ? s.getString() : null;
    }

    private static Read bad(long number, String problem) {
        return new Read(number, null, problem);
    }
}

package io.wixoauth.web.admin;

import io.wixoauth.api.error.InvalidRequestException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reading admin query parameters: a bad value is the caller's mistake, answered 400 with the parameter's name. */
final class QueryParameters {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private QueryParameters() {
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            instant = null;
        }
        // Past year 9999 a database's timestamp overflows, and the filter would match everything instead of nothing.
        if (instant == null || instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new InvalidRequestException(name + " must be an ISO-8601 instant from 1970 to 9999, such as "
                    + "2026-01-31T12:00:00Z.");
        }
        return instant;
    }

    static int limit(Integer value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT + ".");
        }
        return value;
    }

    static long sequence(String name, String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be a sequence number from an earlier page.");
        }
    }

    /** Longest free-text filter (an actor's name, an action): longer is a mistake or an attack, not a search. */
    static final int MAX_TEXT = 200;

    static String optional(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A free-text filter: blank means none; longer than {@link #MAX_TEXT} or with control characters is refused. */
    static String text(String name, String value) {
        String text = optional(value);
        if (text != null && (text.length() > MAX_TEXT || text.chars().anyMatch(Character::isISOControl))) {
            throw new InvalidRequestException(name + " must be at most " + MAX_TEXT + " printable characters.");
        }
        return text;
    }

    /** An app id filter: blank means none; anything else must be a well-formed app id. */
    static String appId(String value) {
        String text = optional(value);
        return text == null ? null : io.wixoauth.api.installation.AppId.of(text).value();
    }

    /** An instance id filter: blank means none; anything else must be a well-formed instance id. */
    static String instanceId(String value) {
        String text = optional(value);
        return text == null ? null : io.wixoauth.api.installation.InstanceId.of(text).value();
    }
}

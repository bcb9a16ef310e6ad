package io.wixoauth.web.admin;

import io.wixoauth.api.error.InvalidRequestException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reading admin query parameters: a bad value is the caller's mistake, answered 400 with the parameter's name. */
final class QueryParameters {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private QueryParameters() {
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z.");
        }
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

    static String optional(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

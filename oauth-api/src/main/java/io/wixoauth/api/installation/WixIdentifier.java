package io.wixoauth.api.installation;

import io.wixoauth.api.error.InvalidIdentifierException;

import java.util.Locale;
import java.util.regex.Pattern;

/** Wix ids (app ids, instance ids) are UUIDs in their canonical 8-4-4-4-12 hex form. */
final class WixIdentifier {

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private WixIdentifier() {
    }

    /** Returns the id in lower case, or throws naming the kind of id, never echoing the (possibly hostile) input. */
    static String normalize(String kind, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidIdentifierException(kind + " is missing");
        }
        if (raw.length() != 36 || !CANONICAL_UUID.matcher(raw).matches()) {
            throw new InvalidIdentifierException(kind + " must be a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6");
        }
        return raw.toLowerCase(Locale.ROOT);
    }
}

package io.wixoauth.api.admin;

import java.time.Instant;
import java.util.List;

/** What the next purge would remove, per kind, as of {@code asOf}; nothing is removed to answer it. */
public record RetentionPreview(Instant asOf, List<Kind> kinds) {

    /**
     * @param horizon    the setting's value (ISO-8601), or null for a kind that is off
     * @param olderThan  what is older than this goes; null when off
     * @param count      how many rows the purge would remove (for {@code auditEntries}: archive, then remove)
     * @param note       why a kind is off, or what it keeps
     */
    public record Kind(String kind, String setting, String horizon, Instant olderThan, long count, String note) {
    }
}

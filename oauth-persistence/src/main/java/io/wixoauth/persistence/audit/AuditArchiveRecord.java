package io.wixoauth.persistence.audit;

import java.time.Instant;

/**
 * A segment of the chain written to a file and removed from the database (V12__retention.sql): what the first entry
 * still held is anchored by. {@code seal} is the HMAC of {@link #canonical()} under {@code keyId}, a chain key.
 */
public record AuditArchiveRecord(String name, long firstSeq, long lastSeq, String firstPrevHash, String lastHash,
                                 long entries, String fileSha256, String keyId, String seal, Instant archivedAt) {

    /** What the seal covers: every field that says which entries the archive holds and how they end. */
    public String canonical() {
        return canonical(name, firstSeq, lastSeq, firstPrevHash, lastHash, entries);
    }

    public static String canonical(String name, long firstSeq, long lastSeq, String firstPrevHash, String lastHash,
                                   long entries) {
        return String.join("\u001f", "audit-archive/1", name, String.valueOf(firstSeq), String.valueOf(lastSeq),
                firstPrevHash, lastHash, String.valueOf(entries));
    }
}

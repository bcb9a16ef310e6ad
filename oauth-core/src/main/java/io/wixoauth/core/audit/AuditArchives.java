package io.wixoauth.core.audit;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.audit.ArchiveVerification;
import io.wixoauth.core.platform.MissingSettingException;
import io.wixoauth.core.platform.StartupCheck;
import io.wixoauth.persistence.audit.AuditArchiveRecord;
import io.wixoauth.persistence.audit.AuditEntry;
import io.wixoauth.persistence.audit.AuditRepository;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.eclipse.microprofile.config.Config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The audit trail's archive (issue 25): the oldest entries written to a file under {@code oauth.audit.archive-dir},
 * one file per segment, then removed from the database. A file is NDJSON: a header line (the segment's first and last
 * sequence numbers, the hash its first entry points back to, its last hash, the count, sealed with the audit key) and
 * one line per entry with every field as written, so each entry's own seal and the chain within the file can be
 * checked with the keys alone. The database keeps a record of each archive, sealed the same way: the first entry
 * still held is anchored by it.
 */
@ApplicationScoped
public class AuditArchives implements StartupCheck {

    static final String ARCHIVE_DIR = "oauth.audit.archive-dir";
    private static final String FORMAT = "wix-oauth audit archive";
    /** Lines longer than an entry can be (every column at its length, escaped) are not an archive's. */
    private static final int LONGEST_LINE = 16_384;

    @Inject
    Config config;

    @Inject
    Clock clock;

    @Inject
    AuditRepository repository;

    @Inject
    AuditKeys keys;

    Path directory;

    @PostConstruct
    void load() {
        directory = config.getOptionalValue(ARCHIVE_DIR, String.class).filter(d -> !d.isBlank())
                .map(d -> Path.of(d).toAbsolutePath()).orElse(null);
        if (directory == null) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path probe = Files.createTempFile(directory, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new MissingSettingException(ARCHIVE_DIR, "names a directory the service cannot write (" + directory
                    + ": " + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String check() {
        return directory == null ? "The audit trail is not archived (" + ARCHIVE_DIR + " is not set): it is kept whole"
                : "Audit archives are written to " + directory;
    }

    /** The directory archives go to; empty when none is set, and then no entry leaves the database. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /**
     * In the caller's transaction: the oldest entries written before {@code cutoff} (at most {@code most}) written to a
     * file and flushed to disk, recorded, then removed. If the transaction rolls back the file stays and is written
     * again, whole, by the next run. Returns how many entries left the database.
     */
    public int archiveNext(Instant cutoff, int most) {
        if (directory == null) {
            return 0;
        }
        List<AuditEntry> segment = repository.oldestBefore(cutoff, most);
        if (segment.isEmpty()) {
            return 0;
        }
        AuditEntry first = segment.get(0);
        AuditEntry last = segment.get(segment.size() - 1);
        String name = String.format("audit-%012d-%012d.ndjson", first.getSeq(), last.getSeq());
        String canonical = AuditArchiveRecord.canonical(name, first.getSeq(), last.getSeq(), first.getPrevHash(),
                last.getHash(), segment.size());
        String keyId = keys.chain().activeKeyId();
        String seal = keys.chain().seal(canonical);
        String sha256 = write(directory.resolve(name), header(name, first, last, segment.size(), keyId, seal), segment);
        repository.addArchive(new AuditArchiveRecord(name, first.getSeq(), last.getSeq(), first.getPrevHash(),
                last.getHash(), segment.size(), sha256, keyId, seal, Instant.now(clock)));
        repository.deleteThrough(last.getSeq());
        return segment.size();
    }

    /** Whether the record's seal is the audit key's: a database writer without the key cannot make an anchor. */
    public boolean sealed(AuditArchiveRecord archive) {
        return keys.chain().seal(archive.keyId(), archive.canonical()).map(s -> same(s, archive.seal())).orElse(false);
    }

    /** Checks an archive file on its own, line by line; what it reads is bounded by the caller. */
    public ArchiveVerification verify(Reader file) {
        Lines lines = new Lines(file);
        try {
            String headerLine = lines.next();
            if (headerLine == null) {
                return broken(null, 0, null, 1, "the file is empty");
            }
            JsonObject header;
            try {
                header = Jsonp.reader(headerLine).readObject();
                if (!FORMAT.equals(header.getString("format", null))) {
                    return broken(null, 0, null, 1, "the first line is not an audit archive's header");
                }
            } catch (JsonException | ClassCastException e) {
                return broken(null, 0, null, 1, "the first line is not an audit archive's header");
            }
            return verify(header, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LineTooLong e) {
            return broken(null, 0, null, e.line, "a line is longer than any entry");
        }
    }

    private ArchiveVerification verify(JsonObject header, Lines lines) throws IOException {
        String name = header.getString("name", null);
        long firstSeq;
        long lastSeq;
        long count;
        String firstPrevHash;
        String lastHash;
        try {
            firstSeq = header.getJsonNumber("firstSeq").longValueExact();
            lastSeq = header.getJsonNumber("lastSeq").longValueExact();
            count = header.getJsonNumber("entries").longValueExact();
            firstPrevHash = header.getString("firstPrevHash");
            lastHash = header.getString("lastHash");
        } catch (RuntimeException e) {
            return broken(name, 0, null, 1, "the header lacks a field: " + e.getMessage());
        }
        Optional<String> expectedSeal = keys.chain().seal(header.getString("keyId", ""),
                AuditArchiveRecord.canonical(name, firstSeq, lastSeq, firstPrevHash, lastHash, count));
        if (expectedSeal.isEmpty()) {
            return broken(name, 0, null, 1, "the header is sealed with key " + header.getString("keyId", "")
                    + ", which oauth.audit.keys does not hold");
        }
        if (!same(expectedSeal.get(), header.getString("seal", ""))) {
            return broken(name, 0, null, 1, "the header was changed after it was written");
        }
        long expectedSeq = firstSeq;
        String previousHash = firstPrevHash;
        long checked = 0;
        long lineNo = 1;
        for (String line = lines.next(); line != null; line = lines.next()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            AuditEntry entry;
            try {
                entry = entry(Jsonp.reader(line).readObject());
            } catch (JsonException | ClassCastException | NullPointerException | ArithmeticException
                     | DateTimeParseException e) {
                return broken(name, checked, expectedSeq, lineNo, "is not an entry as the service writes it");
            }
            String problem = problem(entry, expectedSeq, previousHash);
            if (problem != null) {
                return broken(name, checked, expectedSeq, lineNo, problem);
            }
            previousHash = entry.getHash();
            expectedSeq++;
            checked++;
        }
        if (checked != count || expectedSeq - 1 != lastSeq || !same(previousHash, lastHash)) {
            return broken(name, checked, expectedSeq, lineNo + 1, "the file ends before the entry its header says is "
                    + "its last (" + lastSeq + "): " + checked + " of " + count + " entries");
        }
        return new ArchiveVerification(true, name, checked, firstSeq, lastSeq, lastHash, null, null);
    }

    private String problem(AuditEntry entry, long expectedSeq, String previousHash) {
        if (entry.getSeq() != expectedSeq) {
            return "entry " + expectedSeq + " is missing";
        }
        if (!same(entry.getPrevHash(), previousHash)) {
            return "entry " + expectedSeq + " does not follow the previous entry";
        }
        if (!entry.isKeyed() && entry.getSeq() > keys.unkeyedThrough()) {
            return "entry " + expectedSeq + " is not sealed with a key: written without the key";
        }
        Optional<String> expected = entry.expectedHash(keys.chain());
        if (expected.isEmpty()) {
            return "entry " + expectedSeq + " is sealed with key " + entry.getKeyId()
                    + ", which oauth.audit.keys does not hold";
        }
        return same(expected.get(), entry.getHash()) ? null : "entry " + expectedSeq + " was changed after it was written";
    }

    private static AuditEntry entry(JsonObject line) {
        return AuditEntry.restored(line.getJsonNumber("seq").longValueExact(), line.getString("prevHash"),
                Instant.parse(line.getString("occurredAt")), line.getString("action"), line.getString("actor"),
                line.getString("instanceId", null), line.getString("appId", null), line.getString("outcome"), line.getString("reason", null),
                line.getString("requestId", null), line.getString("details", null), line.getString("hash"),
                line.getString("keyId", null));
    }

    private static String header(String name, AuditEntry first, AuditEntry last, int entries, String keyId, String seal) {
        return Jsonp.object().add("format", FORMAT).add("version", 1).add("name", name).add("firstSeq", first.getSeq())
                .add("lastSeq", last.getSeq()).add("firstPrevHash", first.getPrevHash()).add("lastHash", last.getHash())
                .add("entries", entries).add("keyId", keyId).add("seal", seal).build().toString();
    }

    private static String line(AuditEntry entry) {
        JsonObjectBuilder json = Jsonp.object().add("seq", entry.getSeq())
                .add("occurredAt", entry.getOccurredAt().toString()).add("action", entry.getAction())
                .add("actor", entry.getActor()).add("outcome", entry.getOutcome())
                .add("prevHash", entry.getPrevHash()).add("hash", entry.getHash());
        addIfPresent(json, "instanceId", entry.getInstanceId());
        addIfPresent(json, "appId", entry.getAppId());
        addIfPresent(json, "reason", entry.getReason());
        addIfPresent(json, "requestId", entry.getRequestId());
        addIfPresent(json, "details", entry.getDetails());
        addIfPresent(json, "keyId", entry.getKeyId());
        return json.build().toString();
    }

    /** Written next to its place and moved there once on disk, so a file under its name is always whole. */
    private static String write(Path target, String header, List<AuditEntry> segment) {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                 OutputStream out = new java.security.DigestOutputStream(
                         new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel)), sha256)) {
                out.write((header + "\n").getBytes(StandardCharsets.UTF_8));
                for (AuditEntry entry : segment) {
                    out.write((line(entry) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                channel.force(true);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return HexFormat.of().formatHex(sha256.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the audit archive " + target, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static void addIfPresent(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    private static final class LineTooLong extends RuntimeException {
        final long line;

        LineTooLong(long line) {
            super(null, null, false, false);
            this.line = line;
        }
    }

    /** An archive's lines, each at most {@link #LONGEST_LINE} characters, counted. */
    private static final class Lines {
        private final BufferedReader reader;
        private long read;

        Lines(Reader file) {
            reader = new BufferedReader(file);
        }

        /** The next line, or null at the end. */
        String next() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = reader.read()) != -1 && c != '\n') {
                if (line.length() >= LONGEST_LINE) {
                    throw new LineTooLong(read + 1);
                }
                line.append((char) c);
            }
            if (c == -1 && line.isEmpty()) {
                return null;
            }
            read++;
            return line.toString();
        }
    }

    private static boolean same(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static ArchiveVerification broken(String name, long checked, Long seq, long line, String problem) {
        return new ArchiveVerification(false, name, checked, null, null, null, line, problem);
    }
}

package io.wixoauth.core.audit;

import io.wixoauth.api.audit.ArchiveVerification;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditFilter;
import io.wixoauth.api.audit.AuditRecord;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.api.audit.Checkpoint;
import io.wixoauth.api.audit.LastVerification;
import io.wixoauth.api.audit.ChainVerification;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.persistence.audit.AuditArchiveRecord;
import io.wixoauth.persistence.audit.AuditEntry;
import io.wixoauth.persistence.audit.AuditHead;
import io.wixoauth.persistence.audit.AuditQuery;
import io.wixoauth.persistence.audit.AuditRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

@Stateless
public class DefaultAuditService implements AuditService {

    /** The log the company's SIEM reads: one JSON object per line, one line per entry. */
    private static final Logger AUDIT_LOG = Logger.getLogger("io.wixoauth.audit");
    private static final int VERIFY_BATCH = 500;

    @Inject
    Clock clock;

    @Inject
    AuditRepository repository;

    @Inject
    ServiceMetrics metrics;

    @Inject
    AuditKeys keys;

    @Inject
    AuditArchives archives;

    /** Its own transaction: an audit entry outlives a business transaction that rolls back after it. */
    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public AuditRecord record(AuditEvent event) {
        return append(repository.lockHead(), event);
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<AuditRecord> recordAll(List<AuditEvent> events) {
        AuditHead head = repository.lockHead();
        return events.stream().map(event -> append(head, event)).toList();
    }

    private AuditRecord append(AuditHead head, AuditEvent event) {
        // Milliseconds: what every database keeps exactly, so the hash still matches after a round trip.
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        // Every field cut to its column (V3__audit_trail.sql): an actor is whatever subject a JWT names, an outcome
        // may be a code Wix sent; an entry the database refused for its length would be lost.
        AuditEntry entry = new AuditEntry(head.getLastSeq(), head.getLastHash(), now, truncate(event.action(), 60),
                truncate(event.actor(), 200), truncate(event.instanceId(), 36), truncate(event.appId(), 36), truncate(event.outcome(), 40),
                truncate(event.reason(), 400),
                truncate(event.requestId(), 80), truncate(event.details(), 1000), keys.chain());
        repository.append(entry);
        head.advanceTo(entry);
        AuditRecord record = toRecord(entry);
        AUDIT_LOG.info(record::toJsonLine);
        metrics.auditEntry();
        return record;
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<AuditRecord> find(AuditFilter filter) {
        return repository.find(new AuditQuery(filter.instanceId(), filter.appId(), filter.actor(), filter.action(), filter.since(),
                filter.until(), filter.afterSeq(), filter.limit())).stream().map(DefaultAuditService::toRecord).toList();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<AuditRecord> recent(String instanceId, int limit) {
        return repository.latestFor(instanceId, limit).stream().map(DefaultAuditService::toRecord).toList();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long count(String action, Instant since) {
        return repository.countSince(action, since);
    }

    /**
     * Walks the chain from the first entry held: every number follows the last, every entry names the previous hash,
     * and every hash is the seal of the entry's fields under its key (plain SHA-256 only for entries from before keying,
     * as far as {@code oauth.audit.unkeyed-through} says, and never after a keyed one: either would be a chain re-written
     * without the key, from its first entry if need be). Entries archived before it are vouched for by the archive the
     * first one held follows (its record sealed with the audit key; the file itself verifies on its own). The head must
     * point at the last entry; and the checkpoint, if one is given, must be in the chain as it was logged.
     */
    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public ChainVerification verify(Optional<Checkpoint> checkpoint) {
        Long firstHeld = repository.firstHeldSeq();
        ChainVerification verified = walk(checkpoint, firstHeld);
        Long nowFirst = repository.firstHeldSeq();
        if (!verified.intact() && !java.util.Objects.equals(firstHeld, nowFirst)) {
            verified = walk(checkpoint, nowFirst); // entries were archived during the walk: walk what is held now
        }
        return verified;
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void recordVerification(ChainVerification verified, String actor, String requestId) {
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        String problem = truncate(verified.problem(), 400);
        // Not an entry of the chain it describes: a verification of a broken chain must not extend it.
        repository.recordVerification(now, truncate(actor, 200), verified.intact(), verified.entriesChecked(), problem);
        AUDIT_LOG.info(() -> "{\"action\":\"audit.verified\",\"actor\":" + jakarta.json.Json.createValue(actor)
                + ",\"intact\":" + verified.intact() + ",\"entriesChecked\":" + verified.entriesChecked()
                + ",\"requestId\":" + jakarta.json.Json.createValue(requestId) + "}");
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<LastVerification> lastVerification() {
        return repository.lastVerification().map(row -> new LastVerification(
                io.wixoauth.persistence.schema.InstantConverter.instant(row[0]), (String) row[1],
                Boolean.TRUE.equals(row[2]) || Integer.valueOf(1).equals(row[2]), ((Number) row[3]).longValue(),
                (String) row[4]));
    }

    private ChainVerification walk(Optional<Checkpoint> checkpoint, Long firstHeld) {
        long expectedSeq = 1;
        String previousHash = AuditHeadStart.HASH;
        String anchoredBy = null;
        long anchorSeq = firstHeld == null ? repository.head().getLastSeq() : firstHeld - 1;
        if (anchorSeq > 0) {
            Optional<AuditArchiveRecord> anchor = repository.archiveEndingAt(anchorSeq);
            if (anchor.isEmpty()) {
                return cut(0, 1, "entries 1 to " + anchorSeq + " are not in the database, and no archive holds them");
            }
            if (!archives.sealed(anchor.get())) {
                return cut(0, anchorSeq, "the record of archive " + anchor.get().name()
                        + " was changed after it was written (or is sealed with a key oauth.audit.keys does not hold)");
            }
            expectedSeq = anchorSeq + 1;
            previousHash = anchor.get().lastHash();
            anchoredBy = anchor.get().name();
        }
        boolean keyedSeen = false;
        boolean checkpointSeen = checkpoint.isEmpty();
        if (checkpoint.isPresent() && checkpoint.get().seq() < expectedSeq) {
            if (checkpoint.get().seq() == anchorSeq && !same(checkpoint.get().hash(), previousHash)) {
                return cut(0, anchorSeq, "archive " + anchoredBy + " ends with an entry that differs from the "
                        + "checkpoint the log recorded");
            }
            checkpointSeen = true; // archived: the archive file's own verification covers it
        }
        long checked = 0;
        List<AuditEntry> batch = repository.chainAfter(expectedSeq - 1, VERIFY_BATCH);
        while (!batch.isEmpty()) {
            for (AuditEntry entry : batch) {
                String problem = problem(entry, expectedSeq, previousHash, keyedSeen);
                if (problem != null) {
                    return broken(checked, expectedSeq, problem);
                }
                if (checkpoint.isPresent() && checkpoint.get().seq() == entry.getSeq()) {
                    if (!same(checkpoint.get().hash(), entry.getHash())) {
                        return broken(checked, entry.getSeq(), "differs from the checkpoint the log recorded");
                    }
                    checkpointSeen = true;
                }
                keyedSeen |= entry.isKeyed();
                previousHash = entry.getHash();
                expectedSeq++;
                checked++;
            }
            batch = repository.chainAfter(expectedSeq - 1, VERIFY_BATCH);
        }
        if (!checkpointSeen) {
            return cut(checked, expectedSeq, "the chain ends before the checkpoint the log recorded (entry "
                    + checkpoint.get().seq() + "): its tail was cut");
        }
        AuditHead head = repository.head();
        if (head.getLastSeq() != expectedSeq - 1 || !head.getLastHash().equals(previousHash)) {
            return cut(checked, expectedSeq, "the chain ends before entry " + head.getLastSeq());
        }
        return new ChainVerification(true, checked, null, null, anchoredBy);
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public ArchiveVerification verifyArchive(Reader archive) {
        return archives.verify(archive);
    }

    /** Why {@code entry} does not fit where it stands, or null when it does. */
    private String problem(AuditEntry entry, long expectedSeq, String previousHash, boolean keyedSeen) {
        if (entry.getSeq() != expectedSeq) {
            return "entry " + expectedSeq + " is missing";
        }
        if (!entry.getPrevHash().equals(previousHash)) {
            return "does not follow the previous entry";
        }
        if (keyedSeen && !entry.isKeyed()) {
            return "is not sealed with a key, after entries that are: written without the key";
        }
        if (!entry.isKeyed() && entry.getSeq() > keys.unkeyedThrough()) {
            return "is not sealed with a key, and " + AuditKeys.UNKEYED_THROUGH + " (" + keys.unkeyedThrough()
                    + ") allows no unkeyed entry after entry " + keys.unkeyedThrough() + ": written without the key";
        }
        Optional<String> expected = entry.expectedHash(keys.chain());
        if (expected.isEmpty()) {
            return "is sealed with key " + entry.getKeyId() + ", which oauth.audit.keys does not hold";
        }
        return same(expected.get(), entry.getHash()) ? null : "was changed after it was written";
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static ChainVerification broken(long checked, long seq, String problem) {
        return cut(checked, seq, "entry " + seq + ": " + problem);
    }

    /** A problem of the chain as a whole (where it ends), not of one entry. */
    private static ChainVerification cut(long checked, long seq, String problem) {
        return new ChainVerification(false, checked, seq, problem);
    }

    static AuditRecord toRecord(AuditEntry e) {
        return new AuditRecord(e.getSeq(), e.getOccurredAt(), e.getAction(), e.getActor(), e.getInstanceId(),
                e.getOutcome(), e.getReason(), e.getRequestId(), e.getDetails(), e.getHash(), e.getAppId());
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /** The hash the first entry points back to (see V3__audit_trail.sql). */
    private static final class AuditHeadStart {
        static final String HASH = "0".repeat(64);
    }
}

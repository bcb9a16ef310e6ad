package io.wixoauth.api.audit;

import java.util.List;

public interface AuditService {

    /** Appends an entry, in a transaction of its own, and writes it to the log as one JSON line. */
    AuditRecord record(AuditEvent event);

    /** Appends several entries in one transaction, under one lock of the chain; their records, in the same order. */
    List<AuditRecord> recordAll(List<AuditEvent> events);

    List<AuditRecord> find(AuditFilter filter);

    /** The newest entries about one installation, newest first. */
    List<AuditRecord> recent(String instanceId, int limit);

    long count(String action, java.time.Instant since);

    /**
     * Walks the chain; with a checkpoint from the log, also requires that entry, unchanged, so that a tail cut off
     * together with the head (which the database alone cannot show) is found.
     */
    ChainVerification verify(java.util.Optional<Checkpoint> checkpoint);

    /**
     * Records a verification a person ran ({@link #verify}): the last one is kept for the overview, and every one is a
     * line of the audit log ({@code audit.verified}), not an entry of the chain it describes.
     */
    void recordVerification(ChainVerification verified, String actor, String requestId);

    /** The chain's last verification, if any was run. */
    java.util.Optional<LastVerification> lastVerification();

    /** Checks an archive file on its own (the keys are the service's): its header, its entries, its chain. */
    ArchiveVerification verifyArchive(java.io.Reader archive);
}

package io.wixoauth.core.job;

import io.wixoauth.core.audit.AuditArchives;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.retention.Retention;
import io.wixoauth.persistence.console.ConsoleSessionRepository;
import io.wixoauth.persistence.job.BackgroundJob;
import io.wixoauth.persistence.job.BackgroundJobRepository;
import io.wixoauth.persistence.proxy.CallBudgetRepository;
import io.wixoauth.persistence.relay.Delivery;
import io.wixoauth.persistence.relay.RelayRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The purge job's batches (retention, issue 25): what {@link Retention} counts, removed kind by kind as of when the job
 * was started. Every batch is one short transaction that locks only the rows it removes (never the audit chain's
 * head, never an installation still installed) and removes at most {@link #BATCH} rows of one kind (or one archive
 * segment of the trail); the job's row carries the counts from batch to batch and node to node.
 */
@Stateless
public class PurgeBatches {

    static final int BATCH = 500;
    /** Audit entries per archive file (and batch). */
    static final int SEGMENT = 2_000;

    @Inject
    Clock clock;

    @Inject
    Retention retention;

    @Inject
    Installations installations;

    @Inject
    RelayRepository relay;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    CallBudgetRepository budgets;

    @Inject
    AuditArchives archives;

    @Inject
    ConsoleSessionRepository consoleSessions;

    @Inject
    ServiceMetrics metrics;

    /** One batch of the purge job {@code jobId}: the first kind with anything left, at most {@link #BATCH} rows. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public BatchResult runNext(String jobId) {
        BackgroundJob job = jobs.lockIfRunning(jobId).orElse(null);
        if (job == null) {
            return BatchResult.NOT_RUNNING;
        }
        Retention.Horizons h = retention.horizons(job.getCreatedAt());
        Map<String, Long> removed = counts(job.getDetail());
        Instant now = Instant.now(clock);
        List<String> gone = installations.purgeUninstalled(h.uninstalled(), BATCH);
        if (!gone.isEmpty()) {
            int pending = relay.deletePendingFor(gone);
            removed.merge("installations", (long) gone.size(), Long::sum);
            removed.merge("pendingDeliveries", (long) pending, Long::sum);
            metrics.purged("installations", gone.size());
            metrics.purged("pendingDeliveries", pending);
            return progress(job, removed, gone.size(), now);
        }
        for (String kind : Retention.KINDS.subList(2, Retention.KINDS.size())) {
            int count = remove(kind, h);
            if (count > 0) {
                removed.merge(kind, (long) count, Long::sum);
                metrics.purged(kind, count);
                return progress(job, removed, count, now);
            }
        }
        job.describe(describe(removed));
        job.finish(now);
        return BatchResult.FINISHED;
    }

    private int remove(String kind, Retention.Horizons h) {
        return switch (kind) {
            case "deliveredDeliveries" -> relay.deleteSettledBefore(Delivery.State.DELIVERED, h.delivered(), BATCH);
            case "failedDeliveries" -> relay.deleteSettledBefore(Delivery.State.FAILED, h.failed(), BATCH);
            case "events" -> relay.deleteEventsWithoutDeliveriesBefore(h.delivered(), BATCH);
            case "jobs" -> jobs.deleteFinishedBefore(h.jobs(), BATCH);
            case "tombstones" -> installations.purgeTombstones(h.tombstones(), BATCH);
            case "staleBudgets" -> budgets.deleteStale(h.staleBudgetMinute(), h.asOf().toEpochMilli(), BATCH);
            case "keptRefreshTokens" -> installations.forgetKeptRefreshTokens(h.asOf(), BATCH);
            case "consoleSessions" -> consoleSessions.deleteEnded(h.asOf(), h.consoleIdleSince(), BATCH);
            case "auditEntries" -> h.audit() == null ? 0 : archives.archiveNext(h.audit(), SEGMENT);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static BatchResult progress(BackgroundJob job, Map<String, Long> removed, int count, Instant now) {
        job.advance(count, 0, job.getLastInstanceId(), now);
        job.describe(describe(removed));
        return BatchResult.MORE;
    }

    /** The job's detail, {@code installations=3 pendingDeliveries=0 ...}: every kind, in order. */
    static String describe(Map<String, Long> removed) {
        StringBuilder text = new StringBuilder("removed");
        for (String kind : Retention.KINDS) {
            text.append(' ').append(kind).append('=').append(removed.getOrDefault(kind, 0L));
        }
        return text.toString();
    }

    static Map<String, Long> counts(String detail) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (detail != null) {
            for (String part : detail.split(" ")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    counts.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
                }
            }
        }
        return counts;
    }

}

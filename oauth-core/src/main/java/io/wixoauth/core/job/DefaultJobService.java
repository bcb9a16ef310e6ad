package io.wixoauth.core.job;

import io.wixoauth.api.admin.JobService;
import io.wixoauth.api.admin.MigrationRequest;
import io.wixoauth.api.admin.JobView;
import io.wixoauth.api.admin.RetentionPreview;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.error.JobAlreadyRunningException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.error.UnknownJobException;
import io.wixoauth.core.platform.WriteConflict;
import io.wixoauth.core.retention.Retention;
import io.wixoauth.core.wix.Apps;
import io.wixoauth.persistence.crypto.TokenEncryption;
import io.wixoauth.persistence.installation.InstallationRepository;
import io.wixoauth.persistence.job.BackgroundJob;
import io.wixoauth.persistence.job.BackgroundJobRepository;
import jakarta.ejb.Local;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PessimisticLockException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Stateless
@Local(JobService.class)
@LocalBean // and without an interface: the import service starts its job through start() too
public class DefaultJobService implements JobService {

    static final String REENCRYPTION = "reencryption";
    static final String BULK_REFRESH = "bulk-refresh";
    static final String IMPORT = "import";
    static final String PURGE = "retention";
    static final String MIGRATION = "migrate-to-client-credentials";

    @Inject
    Clock clock;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    InstallationRepository installations;

    @Inject
    AuditService audit;

    @Inject
    Retention retention;

    @Inject
    Apps apps;

    @Override
    public JobView startReencryption(String reason, String actor, String requestId) {
        String why = requireReason(reason);
        return start(REENCRYPTION, UUID.randomUUID().toString(), installations.countWithRefreshToken(),
                "to key " + TokenEncryption.activeKeyId(), null, why, actor, requestId);
    }

    @Override
    public JobView startBulkRefresh(String reason, String actor, String requestId) {
        String why = requireReason(reason);
        return start(BULK_REFRESH, UUID.randomUUID().toString(),
                installations.countByState().values().stream().mapToLong(Long::longValue).sum(), "started", null, why,
                actor, requestId);
    }

    @Override
    public JobView startMigration(MigrationRequest request, String actor, String requestId) {
        String why = requireReason(request.reason());
        AppId appId;
        try {
            appId = AppId.of(request.appId());
        } catch (RuntimeException e) {
            throw new InvalidRequestException("appId must be the app's id from the Wix dev center, a UUID.");
        }
        apps.served(appId);
        MigrationPlan plan = new MigrationPlan(appId.value(), request.dryRun(), 0, 0);
        return start(MIGRATION, UUID.randomUUID().toString(), installations.countWithRefreshTokenOf(appId.value()),
                request.dryRun() ? "dry run" : "started", plan.describe(), plan.describe(), why, actor, requestId);
    }

    @Override
    public JobView startPurge(String reason, String actor, String requestId) {
        String why = requireReason(reason);
        long total = retention.preview().kinds().stream().mapToLong(RetentionPreview.Kind::count).sum();
        return start(PURGE, UUID.randomUUID().toString(), total, "started", null, why, actor, requestId);
    }

    /**
     * Stores a RUNNING job for the runners on every node to pick up, and audits who started it and why. One job of a
     * kind at a time: a second would do the same work twice (a second bulk refresh doubles the calls to Wix).
     */
    public JobView start(String kind, String id, long total, String outcome, String details, String why, String actor,
                         String requestId) {
        return start(kind, id, total, outcome, details, null, why, actor, requestId);
    }

    /** As above, the job's {@code detail} starting as {@code jobDetail}: what its batches read their work from. */
    private JobView start(String kind, String id, long total, String outcome, String details, String jobDetail,
                          String why, String actor, String requestId) {
        refuseIfRunning(kind);
        BackgroundJob job = new BackgroundJob(id, kind, total, actor, why, Instant.now(clock));
        if (jobDetail != null) {
            job.describe(jobDetail);
        }
        try {
            jobs.addNow(job);
        } catch (PersistenceException e) {
            if (WriteConflict.isCause(e)) { // another node started one in the same instant
                throw alreadyRunning(kind, "started just now");
            }
            throw e;
        }
        audit.record(AuditEvent.of("admin.job." + kind + ".started", actor, null, outcome)
                .withReason(why).withRequestId(requestId)
                .withDetails("job " + job.getId() + (details == null ? "" : ": " + details)));
        return view(job);
    }

    /** Refused at once when a job of the kind runs (an import checks before it reads a long file). */
    public void refuseIfRunning(String kind) {
        jobs.runningOfKind(kind).ifPresent(running -> {
            throw alreadyRunning(kind, running.getId());
        });
    }

    @Override
    public JobView get(String jobId) {
        return view(jobs.find(jobId).orElseThrow(() -> new UnknownJobException("No job has the id " + jobId + ".")));
    }

    @Override
    public JobView cancel(String jobId, String reason, String actor, String requestId) {
        String why = requireReason(reason);
        BackgroundJob job = locked(jobId).orElseThrow(() -> new UnknownJobException("No job has the id " + jobId + "."));
        boolean cancelled = job.cancel(Instant.now(clock));
        audit.record(AuditEvent.of("admin.job.cancel", actor, null, cancelled ? "cancelled" : "was not running")
                .withReason(why).withRequestId(requestId).withDetails("job " + jobId));
        return view(job);
    }

    /**
     * A batch holds its job's row locked while it works (docs/architecture.md, known limitations); a database that does not wait
     * that long (H2 gives up after a second) refuses the lock, and the caller is told to try again shortly.
     */
    private Optional<BackgroundJob> locked(String jobId) {
        try {
            return jobs.lock(jobId);
        } catch (PessimisticLockException | LockTimeoutException e) {
            throw new JobAlreadyRunningException("The job is in the middle of a batch; cancel it again in a few "
                    + "seconds.");
        }
    }

    private static JobAlreadyRunningException alreadyRunning(String kind, String jobId) {
        return new JobAlreadyRunningException("A " + kind + " job is running already (" + jobId
                + "); cancel it or wait for it to end.");
    }

    static String requireReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 400) {
            throw new InvalidRequestException("Every job needs a reason of 1 to 400 characters.");
        }
        return reason.strip();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<JobView> recent(int limit) {
        List<JobView> newest = new ArrayList<>(jobs.newest(limit).stream().map(this::view).toList());
        newest.sort(java.util.Comparator.comparing((JobView job) -> !"RUNNING".equals(job.state())));
        return newest;
    }

    private JobView view(BackgroundJob job) {
        Instant end = job.getFinishedAt() != null ? job.getFinishedAt() : Instant.now(clock);
        double seconds = Math.max(0.001, Duration.between(job.getCreatedAt(), end).toMillis() / 1000.0);
        return new JobView(job.getId(), job.getKind(), job.getState().name(), job.getTotal(), job.getDone(),
                job.getErrors(), Math.round(job.getDone() / seconds * 10) / 10.0, job.getRequestedBy(), job.getReason(),
                job.getCreatedAt(), job.getFinishedAt(), job.getDetail());
    }
}

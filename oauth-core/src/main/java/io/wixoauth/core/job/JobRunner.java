package io.wixoauth.core.job;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.persistence.job.BackgroundJob;
import io.wixoauth.persistence.job.BackgroundJobRepository;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the running jobs every second, for at most half a second of batches per job, so no job starves the others or
 * holds a thread for long. A singleton: ticks never overlap on a node. Jobs found RUNNING after a restart resume.
 */
@Singleton
public class JobRunner {

    private static final Logger LOG = Logs.of(JobRunner.class);
    private static final Duration SLICE = Duration.ofMillis(900); // of the one-second tick: a job runs almost all the time

    @Inject
    Clock clock;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    ReencryptionBatches reencryption;

    @Inject
    BulkRefreshBatches bulkRefresh;

    @Inject
    ImportBatches imports;

    @Inject
    ImportLineSweep sweep;

    @Inject
    PurgeBatches purge;

    @Inject
    MigrationBatches migration;

    @Inject
    PurgeSchedule purgeSchedule;

    private Instant started;

    @jakarta.annotation.PostConstruct
    void start() {
        started = Instant.now(clock);
    }

    @Inject
    Audit audit;

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        for (BackgroundJob running : jobs.running()) {
            try {
                runFor(running);
            } catch (RuntimeException e) {
                // The batch rolled back (Wix not answering an import's verification, a lost database connection):
                // it is tried again on the next tick, and the other jobs still get theirs.
                LOG.log(Level.WARNING, "A batch of job " + running.getId() + " (" + running.getKind()
                        + ") failed and will be tried again: " + e);
            }
        }
    }

    private void runFor(BackgroundJob running) {
        String jobId = running.getId();
        Instant until = Instant.now(clock).plus(SLICE);
        BatchResult result = BatchResult.MORE;
        while (result == BatchResult.MORE && Instant.now(clock).isBefore(until)) {
            result = switch (running.getKind()) {
                case DefaultJobService.BULK_REFRESH -> bulkRefresh.runNext(jobId);
                case DefaultJobService.IMPORT -> imports.runNext(jobId);
                case DefaultJobService.PURGE -> purge.runNext(jobId);
                case DefaultJobService.MIGRATION -> migration.runNext(jobId);
                default -> reencryption.runNext(jobId);
            };
        }
        if (result == BatchResult.FINISHED) {
            jobs.find(jobId).ifPresent(this::announce);
        }
    }

    /** Once a minute: staged import lines no running job will apply (a cancelled import, a broken upload). */
    @Schedule(hour = "*", minute = "*", second = "30", persistent = false)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void sweepImports() {
        sweep.discardAbandoned();
    }

    /** Every 10 s: a purge, when the last one (on any node) began at least oauth.retention.run-every ago. */
    @Schedule(hour = "*", minute = "*", second = "*/10", persistent = false)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void startPurgeWhenDue() {
        try {
            purgeSchedule.startIfDue(started);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not start the scheduled purge; trying again in a minute: " + e);
        }
    }

    private void announce(BackgroundJob job) {
        String outcome = job.getDone() + " items, " + job.getErrors() + " errors";
        LOG.info(() -> "Job " + job.getId() + " (" + job.getKind() + ") done: " + outcome
                + (job.getDetail() == null ? "" : " (" + job.getDetail() + ")"));
        AuditEvent completed = AuditEvent.of("job." + job.getKind() + ".completed", "service", null, outcome)
                .withRequestId(job.getId());
        audit.quietly(job.getDetail() == null ? completed : completed.withDetails(job.getDetail()));
    }
}

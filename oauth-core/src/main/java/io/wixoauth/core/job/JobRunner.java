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

import java.time.Duration;
import java.time.Instant;
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
    BackgroundJobRepository jobs;

    @Inject
    ReencryptionBatches reencryption;

    @Inject
    BulkRefreshBatches bulkRefresh;

    @Inject
    Audit audit;

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        for (BackgroundJob running : jobs.running()) {
            String jobId = running.getId();
            boolean bulk = DefaultJobService.BULK_REFRESH.equals(running.getKind());
            Instant until = Instant.now().plus(SLICE);
            BatchResult result = BatchResult.MORE;
            while (result == BatchResult.MORE && Instant.now().isBefore(until)) {
                result = bulk ? bulkRefresh.runNext(jobId) : reencryption.runNext(jobId);
            }
            if (result == BatchResult.FINISHED) {
                jobs.find(jobId).ifPresent(this::announce);
            }
        }
    }

    private void announce(BackgroundJob job) {
        LOG.info(() -> "Job " + job.getId() + " (" + job.getKind() + ") done: " + job.getDone() + " items, "
                + job.getErrors() + " errors");
        audit.quietly(AuditEvent.of("job." + job.getKind() + ".completed", "service", null,
                job.getDone() + " items, " + job.getErrors() + " errors").withRequestId(job.getId()));
    }
}

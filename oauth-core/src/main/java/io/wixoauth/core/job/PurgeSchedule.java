package io.wixoauth.core.job;

import io.wixoauth.api.error.JobAlreadyRunningException;
import io.wixoauth.core.retention.Retention;
import io.wixoauth.persistence.job.BackgroundJobRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;

/**
 * Starts the purge by itself, as {@code service}, every {@code oauth.retention.run-every}: due when the newest purge
 * job, whichever node started it, began longer ago than that, and this node has run that long (a deployment just
 * started, or a node just restarted, does not purge at once). Two nodes that find it due at once start one job: the
 * database keeps one running job per kind.
 */
@Stateless
public class PurgeSchedule {

    static final String REASON = "scheduled: oauth.retention.run-every";

    @Inject
    Clock clock;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    Retention retention;

    @Inject
    DefaultJobService jobService;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void startIfDue(Instant nodeStarted) {
        Instant now = Instant.now(clock);
        Instant last = jobs.lastStarted(DefaultJobService.PURGE).filter(nodeStarted::isBefore).orElse(nodeStarted);
        boolean due = !last.plus(retention.runEvery()).isAfter(now);
        if (due && jobs.runningOfKind(DefaultJobService.PURGE).isEmpty()) {
            try {
                jobService.startPurge(REASON, "service", null);
            } catch (JobAlreadyRunningException e) {
                // another node started it in the same moment
            }
        }
    }
}

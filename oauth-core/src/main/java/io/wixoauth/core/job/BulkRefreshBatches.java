package io.wixoauth.core.job;

import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationRepository;
import io.wixoauth.persistence.installation.InstallationState;
import io.wixoauth.persistence.job.BackgroundJob;
import io.wixoauth.persistence.job.BackgroundJobRepository;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One batch of a bulk refresh: a fresh token for each installed instance. {@code oauth.bulk-refresh.parallelism}
 * workers on the container's managed executor take the batch's instances from one queue, so that many calls to Wix are
 * in flight at once, a slow answer holds up only its own worker, and each instance gets one call: far under Wix's
 * per-instance rate limit. The job row stays locked for the batch, so nodes take batches in turn and a batch that dies
 * with its node is simply done again: a refresh is safe to repeat.
 */
@Stateless
public class BulkRefreshBatches {

    static final int BATCH = 200;

    @Inject
    Clock clock;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    InstallationRepository installations;

    @Inject
    AccessTokenService tokens;

    @Resource
    ManagedExecutorService executor;

    @Inject
    @ConfigProperty(name = "oauth.bulk-refresh.parallelism")
    int parallelism;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public BatchResult runNext(String jobId) {
        BackgroundJob job = jobs.lockIfRunning(jobId).orElse(null);
        if (job == null) {
            return BatchResult.NOT_RUNNING;
        }
        List<Installation> batch = installations.find(null, null, null, null, job.getLastInstanceId(), BATCH);
        Instant now = Instant.now(clock);
        if (batch.isEmpty()) {
            job.finish(now);
            return BatchResult.FINISHED;
        }
        List<InstanceId> installed = batch.stream()
                .filter(installation -> installation.getState() != InstallationState.UNINSTALLED)
                .map(Installation::instanceId).toList();
        AtomicInteger failed = new AtomicInteger();
        Workers.forEach(executor, parallelism, installed, instanceId -> {
            if (!refreshed(instanceId)) {
                failed.incrementAndGet();
            }
        }, "a bulk-refresh batch");
        job.advance(batch.size(), failed.get(), batch.get(batch.size() - 1).getInstanceId(), Instant.now(clock));
        return BatchResult.MORE;
    }

    /** False when Wix refused or failed for this instance (counted as an error); an outage of ours fails the batch. */
    private boolean refreshed(InstanceId instanceId) {
        try {
            tokens.refresh(instanceId);
            return true;
        } catch (ServiceException e) {
            return false;
        }
    }
}

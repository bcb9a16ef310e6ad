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

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * One batch of a bulk refresh: a fresh token for each installed instance, the batch's instances in parallel on the
 * container's managed executor (so at most {@link #BATCH} calls to Wix at once, and one per instance: far under Wix's
 * per-instance rate limit). The job row stays locked for the batch, so nodes take batches in turn and a batch that
 * dies with its node is simply done again: a refresh is safe to repeat.
 */
@Stateless
public class BulkRefreshBatches {

    static final int BATCH = 20;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    InstallationRepository installations;

    @Inject
    AccessTokenService tokens;

    @Resource
    ManagedExecutorService executor;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public BatchResult runNext(String jobId) {
        BackgroundJob job = jobs.lock(jobId).orElse(null);
        if (job == null || job.getState() != BackgroundJob.State.RUNNING) {
            return BatchResult.NOT_RUNNING;
        }
        List<Installation> batch = installations.find(null, null, null, null, job.getLastInstanceId(), BATCH);
        Instant now = Instant.now();
        if (batch.isEmpty()) {
            job.finish(now);
            return BatchResult.FINISHED;
        }
        List<Future<Boolean>> refreshes = batch.stream()
                .filter(installation -> installation.getState() != InstallationState.UNINSTALLED)
                .map(installation -> executor.submit(() -> refreshed(installation.instanceId())))
                .toList();
        int failed = 0;
        for (Future<Boolean> refresh : refreshes) {
            if (!outcome(refresh)) {
                failed++;
            }
        }
        job.advance(batch.size(), failed, batch.get(batch.size() - 1).getInstanceId(), Instant.now());
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

    private static boolean outcome(Future<Boolean> refresh) {
        try {
            return refresh.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a bulk-refresh batch", e);
        }
    }
}

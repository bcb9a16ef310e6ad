package io.wixoauth.core.job;

import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.core.token.AccessTokenCache;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationRepository;
import io.wixoauth.persistence.installation.InstallationState;
import io.wixoauth.persistence.job.BackgroundJob;
import io.wixoauth.persistence.job.BackgroundJobRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.List;

/**
 * One batch of a bulk refresh: a fresh token for each installed instance, one at a time (a call per instance, far
 * under Wix's per-instance rate limit). The job row stays locked for the batch, so nodes take batches in turn and a
 * batch that dies with its node is simply done again: a refresh is safe to repeat.
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

    @Inject
    AccessTokenCache cache;

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
        int failed = 0;
        for (Installation installation : batch) {
            if (installation.getState() == InstallationState.UNINSTALLED) {
                continue;
            }
            try {
                cache.evict(installation.instanceId());
                tokens.accessTokenFor(installation.instanceId());
            } catch (ServiceException e) {
                failed++;
            }
        }
        job.advance(batch.size(), failed, batch.get(batch.size() - 1).getInstanceId(), Instant.now());
        return BatchResult.MORE;
    }
}

package io.wixoauth.core.job;

import io.wixoauth.core.installation.Installations;
import io.wixoauth.persistence.app.AppRepository;
import io.wixoauth.persistence.crypto.TokenEncryption;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationRepository;
import io.wixoauth.persistence.job.BackgroundJob;
import io.wixoauth.persistence.job.BackgroundJobRepository;
import io.wixoauth.persistence.relay.RelayRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Key rotation: everything sealed with the key ring (installations' refresh tokens, then subscriptions' and apps'
 * secrets; see {@code SealedColumns}) sealed again under the active key. One batch per transaction: the rows and the
 * job's progress commit together, so a crash loses at most one batch.
 */
@Stateless
public class ReencryptionBatches {

    static final int BATCH = 100;

    @Inject
    Clock clock;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    InstallationRepository repository;

    @Inject
    Installations installations;

    @Inject
    RelayRepository relay;

    @Inject
    AppRepository apps;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public BatchResult runNext(String jobId) {
        BackgroundJob job = jobs.lockIfRunning(jobId).orElse(null);
        if (job == null) {
            return BatchResult.NOT_RUNNING;
        }
        Instant now = Instant.now(clock);
        List<Installation> batch = repository.withRefreshTokenAfter(job.getLastInstanceId(), BATCH);
        if (batch.isEmpty()) {
            // The installations are done; the subscriptions' and apps' secrets, a handful of rows, go in the last batch.
            int unreadable = relay.resealSecrets(now) + apps.resealSecrets();
            if (unreadable > 0) {
                job.advance(0, unreadable, job.getLastInstanceId(), now);
            }
            job.finish(now);
            return BatchResult.FINISHED;
        }
        int failed = installations.reseal(batch, TokenEncryption.activeKeyId());
        job.advance(batch.size(), failed, batch.get(batch.size() - 1).getInstanceId(), now);
        return BatchResult.MORE;
    }
}

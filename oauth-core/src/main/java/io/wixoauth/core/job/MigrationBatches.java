package io.wixoauth.core.job;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.error.UpstreamRejectedException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.retention.RetentionSettings;
import io.wixoauth.core.wix.WixOAuthClient;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationRepository;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One batch of the migration off custom authentication (Wix deprecated it; protocol sections 2 and 12). Each installed
 * refresh-token installation of the app is proven with one Create Access Token call (client credentials, section 1):
 * Wix issuing one is its word that the app may act for the instance. Proven ones are switched to client credentials in
 * the batch's transaction, their refresh tokens kept for {@code oauth.migration.keep-refresh-tokens}; one Wix refuses
 * is left exactly as it was and reported (the job's errors, an audit entry). Wix not answering, or refusing the app's
 * own secret, decides nothing: the batch fails and is tried again. Parallelism, the Wix gate and the job's row lock
 * are the bulk refresh's, so a batch whose node dies is redone by another, and one call per instance stays far under
 * Wix's per-instance rate limit.
 */
@Stateless
public class MigrationBatches {

    static final int BATCH = 200;

    @Inject
    Clock clock;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    InstallationRepository repository;

    @Inject
    Installations installations;

    @Inject
    WixOAuthClient wix;

    @Inject
    RetentionSettings retention;

    @Inject
    Audit audit;

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
        MigrationPlan plan = MigrationPlan.parse(job.getDetail());
        List<Installation> batch = repository.withRefreshTokenOf(plan.appId(), job.getLastInstanceId(), BATCH);
        if (batch.isEmpty()) {
            job.finish(Instant.now(clock));
            return BatchResult.FINISHED;
        }
        Map<InstanceId, Integer> refused = new ConcurrentHashMap<>();
        Queue<InstanceId> proven = new ConcurrentLinkedQueue<>();
        prove(AppId.of(plan.appId()), batch, proven, refused);
        Instant now = Instant.now(clock);
        List<InstanceId> switching = new ArrayList<>(proven);
        long switched = plan.dryRun() ? switching.size()
                : installations.migrateToClientCredentials(switching, now.plus(retention.keepRefreshTokens()));
        refused.forEach((instanceId, status) -> audit.quietly(AuditEvent.of("migration.refused", "service",
                instanceId.value(), "left on its refresh token").withReason("Wix refused client credentials for the "
                + "instance (HTTP " + status + ")").withDetails("job " + jobId).withApp(plan.appId())));
        job.describe(plan.plus(switched, refused.size()).describe());
        job.advance(batch.size(), refused.size(), batch.get(batch.size() - 1).getInstanceId(), Instant.now(clock));
        return BatchResult.MORE;
    }

    /** One Create Access Token call per instance, by the bulk refresh's number of workers. */
    private void prove(AppId appId, List<Installation> batch, Queue<InstanceId> proven, Map<InstanceId, Integer> refused) {
        Workers.forEach(executor, parallelism, batch.stream().map(Installation::instanceId).toList(), instanceId -> {
            try {
                wix.createAccessToken(appId, instanceId);
                proven.add(instanceId);
            } catch (UpstreamRejectedException e) {
                refused.put(instanceId, e.upstreamStatus());
            }
        }, "a migration batch");
    }
}

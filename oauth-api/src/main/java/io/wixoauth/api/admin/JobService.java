package io.wixoauth.api.admin;

/** Long operator jobs: run in the background, report progress, can be cancelled, survive a restart. */
public interface JobService {

    /**
     * Re-encrypts every stored refresh token under the active key, in batches, while tokens keep being served.
     * Idempotent: rows already under the active key are left as they are.
     */
    JobView startReencryption(String reason, String actor, String requestId);

    /**
     * Fetches a fresh access token for every installed instance, one call per instance, in batches (after an outage,
     * or to warm the caches of a new deployment).
     */
    JobView startBulkRefresh(String reason, String actor, String requestId);

    /**
     * Purges what is past its retention horizon (what {@link RetentionService#preview} shows), in bounded batches; the
     * counts per kind are in the job's detail and in its audit entry when it ends.
     */
    JobView startPurge(String reason, String actor, String requestId);

    /**
     * Moves the app's install base off custom authentication (Wix deprecated it): each installed refresh-token
     * installation whose instance Wix issues client credentials for is switched to them, its refresh token kept for
     * {@code oauth.migration.keep-refresh-tokens}; one Wix refuses is left as it is and counted. A dry run proves and
     * counts, and switches nothing.
     *
     * @throws io.wixoauth.api.error.UnknownAppException for an app the deployment does not serve
     */
    JobView startMigration(MigrationRequest request, String actor, String requestId);

    /** @throws io.wixoauth.api.error.UnknownJobException for an id no job has */
    JobView get(String jobId);

    /** The newest jobs first, those still kept ({@code oauth.retention.jobs}), at most {@code limit}; running first. */
    java.util.List<JobView> recent(int limit);

    JobView cancel(String jobId, String reason, String actor, String requestId);
}

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

    /** @throws io.wixoauth.api.error.UnknownJobException for an id no job has */
    JobView get(String jobId);

    JobView cancel(String jobId, String reason, String actor, String requestId);
}

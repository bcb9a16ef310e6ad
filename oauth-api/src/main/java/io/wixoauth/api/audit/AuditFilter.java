package io.wixoauth.api.audit;

import java.time.Instant;

/** Null fields match anything; results come in chain order after {@code afterSeq}, at most {@code limit}. */
public record AuditFilter(String instanceId, String appId, String actor, String action, Instant since, Instant until,
                          long afterSeq, int limit) {

    /** The same filter, the page after {@code seq}. */
    public AuditFilter after(long seq, int pageSize) {
        return new AuditFilter(instanceId, appId, actor, action, since, until, seq, pageSize);
    }
}

package io.wixoauth.persistence.audit;

import java.time.Instant;

/** Filters for reading the trail; null means "any". Results come in sequence order after {@code afterSeq}. */
public record AuditQuery(String instanceId, String appId, String actor, String action, Instant since, Instant until,
                         long afterSeq, int limit) {
}

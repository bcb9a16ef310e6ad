package io.wixoauth.api.admin;

/** What an action did; the same words are in the audit entry with sequence number {@code auditSeq}. */
public record ActionResult(String instanceId, String action, String outcome, long auditSeq) {
}

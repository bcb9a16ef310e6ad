package io.wixoauth.api.audit;

/**
 * Something to record. Never a token, secret or key: an action, who did it (a JWT subject, {@code wix}, a site owner),
 * the installation, the outcome, an optional reason, the request id that ties it to the logs and the Wix app it
 * concerns (null for what concerns none, such as a job over every app or a subscription).
 */
public record AuditEvent(String action, String actor, String instanceId, String outcome, String reason,
                         String requestId, String details, String appId) {

    public static AuditEvent of(String action, String actor, String instanceId, String outcome) {
        return new AuditEvent(action, actor, instanceId, outcome, null, null, null, null);
    }

    public AuditEvent withReason(String reason) {
        return new AuditEvent(action, actor, instanceId, outcome, reason, requestId, details, appId);
    }

    public AuditEvent withRequestId(String requestId) {
        return new AuditEvent(action, actor, instanceId, outcome, reason, requestId, details, appId);
    }

    public AuditEvent withDetails(String details) {
        return new AuditEvent(action, actor, instanceId, outcome, reason, requestId, details, appId);
    }

    public AuditEvent withApp(String appId) {
        return new AuditEvent(action, actor, instanceId, outcome, reason, requestId, details, appId);
    }
}

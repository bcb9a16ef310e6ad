package io.wixoauth.api.audit;

import io.wixoauth.api.Jsonp;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;

/** One stored entry of the trail, with its place in the chain. */
public record AuditRecord(long seq, Instant occurredAt, String action, String actor, String instanceId, String outcome,
                          String reason, String requestId, String details, String hash, String appId) {

    /** One JSON object on one line: the shape of both the audit log and the export, so the two compare line by line. */
    public String toJsonLine() {
        JsonObjectBuilder json = Jsonp.object()
                .add("seq", seq)
                .add("occurredAt", occurredAt.toString())
                .add("action", action)
                .add("actor", actor)
                .add("outcome", outcome)
                .add("hash", hash);
        addIfPresent(json, "instanceId", instanceId);
        addIfPresent(json, "appId", appId);
        addIfPresent(json, "reason", reason);
        addIfPresent(json, "requestId", requestId);
        addIfPresent(json, "details", details);
        return json.build().toString();
    }

    private static void addIfPresent(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }
}

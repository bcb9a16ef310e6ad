package io.wixoauth.core.audit;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.core.platform.ServiceMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the trail could not hold (issue 25): token reads past the bound of what a node keeps while the database is
 * away, per-call entries its queue had no room for. Never dropped silently: counted at once in
 * {@code oauth_audit_unwritten_total}, and the count itself written as an {@code audit.unwritten} entry once the
 * database takes it.
 */
@ApplicationScoped
public class Unwritten {

    private final AtomicLong pending = new AtomicLong();

    @Inject
    ServiceMetrics metrics;

    /** {@code count} things that will never be in the trail one by one. */
    public void add(long count) {
        pending.addAndGet(count);
        metrics.auditUnwritten(count);
    }

    /** The count not yet written, taken for an entry: put back if the entry could not be written either. */
    long take() {
        return pending.getAndSet(0);
    }

    void putBack(long count) {
        pending.addAndGet(count);
    }

    static AuditEvent entry(long count) {
        return AuditEvent.of("audit.unwritten", "service", null, "counted")
                .withDetails("{\"count\":" + count + "}");
    }
}

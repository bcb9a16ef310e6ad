package io.wixoauth.core.audit;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.core.platform.Interval;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Requests refused before anyone was identified (a forged webhook, a callback with a foreign state): anyone can send
 * them, as many as they like. Each is counted at once in {@code /metrics}; a few per interval are logged; and the
 * trail gets one entry per action and reason per interval with the count, so a flood neither grows the hash chain
 * nor holds its lock. Actions and reasons come from a fixed set of codes, never from the request.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Refusals {

    private static final Logger LOG = Logs.of(Refusals.class);

    /** Log lines per interval, over all reasons; the rest are counted and summed up in one line. */
    static final int LOG_LINES_PER_INTERVAL = 20;

    private record Kind(String action, String reason) {
    }

    private final Map<Kind, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicInteger logLines = new AtomicInteger();

    @Inject
    Clock clock;

    @Inject
    AuditService trail;

    @Inject
    ServiceMetrics metrics;

    private Interval interval;

    @Inject
    void interval(@ConfigProperty(name = "oauth.audit.refusal-interval") Duration length) {
        interval = new Interval(length);
    }

    /** Counts one refusal; {@code logLine} is built and logged only while the interval's log budget lasts. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void refused(String action, String reason, Supplier<String> logLine) {
        metrics.refusal(action, reason);
        counts.computeIfAbsent(new Kind(action, reason), k -> new LongAdder()).increment();
        if (logLines.getAndIncrement() < LOG_LINES_PER_INTERVAL) {
            LOG.warning(logLine);
        }
    }

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        if (interval.due()) {
            summarize();
        }
    }

    private void summarize() {
        int suppressed = logLines.getAndSet(0) - LOG_LINES_PER_INTERVAL;
        Instant end = Instant.now(clock);
        List<AuditEvent> summaries = new ArrayList<>();
        counts.forEach((kind, count) -> {
            long refused = count.sumThenReset();
            if (refused > 0) {
                summaries.add(AuditEvent.of(kind.action(), "anonymous", null, kind.reason())
                        .withDetails(refused + " refused in the " + interval.length() + " before " + end));
            }
        });
        if (suppressed > 0) {
            LOG.warning(() -> suppressed + " more refusals were not logged one by one in the last " + interval.length()
                    + "; their counts are in the audit trail and at /metrics (oauth_refusals_total)");
        }
        if (!summaries.isEmpty()) {
            try {
                trail.recordAll(summaries);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Could not record " + summaries.size() + " refusal summaries", e);
            }
        }
    }
}

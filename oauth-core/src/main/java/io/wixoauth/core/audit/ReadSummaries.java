package io.wixoauth.core.audit;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.core.platform.Logs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Token reads, accounted for without a row per read (issue 25): one chained {@code token.served} entry per caller,
 * instance, token source and interval ({@code oauth.audit.read-interval}, windows aligned to the clock: 12:00 to 12:01
 * for a minute), with the count and the first and last read in its details. A window is written a second after it
 * ends, by the node that served the reads (each node writes its own).
 * <p>
 * Nothing is lost silently: while the database refuses the summaries they are kept, each merged into one per caller,
 * instance and source whatever the number of windows, and written when it is back (their details say {@code late}).
 * What a node holds is bounded ({@link #MOST_HELD} summaries); a read past the bound is counted by {@link Unwritten}.
 */
@ApplicationScoped // a plain CDI bean: read() is on every token read, and needs no EJB container or transaction
public class ReadSummaries {

    private static final Logger LOG = Logs.of(ReadSummaries.class);
    /** The log the SIEM reads (as {@link DefaultAuditService}'s): a line per read only when an operator asks. */
    private static final Logger AUDIT_LOG = Logger.getLogger("io.wixoauth.audit");

    /** Summaries held at once: callers × instances × sources of two windows on a busy node, a few MiB. */
    static final int MOST_HELD = 100_000;
    /** A window is written this long after it ends, so a read that began in it has been counted. */
    static final Duration GRACE = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
    private static final int BATCH = 500;

    /** A summary's identity; {@code window} is null for one merged from windows the database refused. */
    record Key(String caller, String instanceId, String appId, String source, Instant window) {

        Key merged() {
            return new Key(caller, instanceId, appId, source, null);
        }
    }

    /** The reads of one key. Closed once taken for writing: a read that finds it closed starts a new one. */
    static final class Tally {
        private long count;
        private Instant first;
        private Instant last;
        private boolean closed;

        synchronized boolean add(Instant at) {
            if (closed) {
                return false;
            }
            if (count++ == 0) {
                first = at;
            }
            last = at;
            return true;
        }

        synchronized Tally close() {
            closed = true;
            return this;
        }

        synchronized void absorb(Tally other) {
            count += other.count;
            first = first == null || other.first.isBefore(first) ? other.first : first;
            last = last == null || other.last.isAfter(last) ? other.last : last;
        }
    }

    private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();
    /** {@link #MOST_HELD}; a test lowers it to reach the bound. */
    int mostHeld = MOST_HELD;
    private final ReentrantLock flushing = new ReentrantLock();
    private Instant nextAttempt = Instant.MIN;
    private Duration wait = Duration.ofSeconds(1);

    @Inject
    Clock clock;

    @Inject
    AuditService trail;

    @Inject
    Unwritten unwritten;

    @Inject
    @ConfigProperty(name = "oauth.audit.read-interval")
    Duration interval;

    @Inject
    @ConfigProperty(name = "oauth.audit.log-each-read")
    boolean logEachRead;

    /** One token served: counted in its window. On the token path, so no transaction and no lock but the summary's. */
    public void read(String caller, String instanceId, String appId, String source, String requestId) {
        Instant now = Instant.now(clock);
        Key key = new Key(caller, instanceId, appId, source, windowOf(now));
        while (true) {
            Tally tally = tallies.get(key);
            if (tally == null) {
                if (tallies.size() >= mostHeld) {
                    unwritten.add(1);
                    break;
                }
                tally = tallies.computeIfAbsent(key, k -> new Tally());
            }
            if (tally.add(now)) {
                break;
            }
            tallies.remove(key, tally); // taken for writing a moment ago: this read starts the window's next summary
        }
        if (logEachRead) {
            AUDIT_LOG.info(() -> Jsonp.object().add("occurredAt", now.toString()).add("action", "token.served")
                    .add("actor", caller).add("instanceId", instanceId).add("appId", appId).add("outcome", source)
                    .add("requestId", requestId == null ? "-" : requestId).add("count", 1).build().toString());
        }
    }

    /**
     * Writes the summaries of ended windows (all of them when {@code everything}), and the unwritten count if any; each
     * batch in a transaction of its own ({@link ReadSummaryWriter} calls it every second and at shutdown).
     */
    void flush(boolean everything) {
        if (!flushing.tryLock()) {
            return;
        }
        try {
            Instant now = Instant.now(clock);
            if (!everything && now.isBefore(nextAttempt)) {
                return; // the database refused the last attempt: wait a little longer each time, up to 30 s
            }
            List<Map.Entry<Key, Tally>> due = takeDue(now, everything);
            long lost = unwritten.take();
            try {
                if (lost > 0) {
                    trail.record(Unwritten.entry(lost));
                }
            } catch (RuntimeException e) {
                unwritten.putBack(lost);
                keepForLater(due, 0, e);
                return;
            }
            for (int from = 0; from < due.size(); from += BATCH) {
                List<Map.Entry<Key, Tally>> batch = due.subList(from, Math.min(due.size(), from + BATCH));
                try {
                    trail.recordAll(batch.stream().map(this::entry).toList());
                } catch (RuntimeException e) {
                    keepForLater(due, from, e);
                    return;
                }
            }
            wait = Duration.ofSeconds(1);
            nextAttempt = Instant.MIN;
        } finally {
            flushing.unlock();
        }
    }

    private List<Map.Entry<Key, Tally>> takeDue(Instant now, boolean everything) {
        List<Map.Entry<Key, Tally>> due = new ArrayList<>();
        for (Key key : tallies.keySet()) {
            if (everything || key.window() == null || !key.window().plus(interval).plus(GRACE).isAfter(now)) {
                Tally tally = tallies.remove(key);
                if (tally != null) {
                    due.add(Map.entry(key, tally.close()));
                }
            }
        }
        return due;
    }

    /** The database refused: what was not written goes back, merged per caller, instance and source. */
    private void keepForLater(List<Map.Entry<Key, Tally>> due, int from, RuntimeException cause) {
        long reads = 0;
        for (Map.Entry<Key, Tally> left : due.subList(from, due.size())) {
            reads += left.getValue().count;
            Tally kept = tallies.computeIfAbsent(left.getKey().merged(),
                    k -> tallies.size() >= mostHeld ? null : new Tally().close());
            if (kept == null) {
                unwritten.add(left.getValue().count);
            } else {
                kept.absorb(left.getValue());
            }
        }
        nextAttempt = Instant.now(clock).plus(wait);
        wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        long counted = reads;
        LOG.log(Level.WARNING, () -> "Token reads could not be summed up in the audit trail (" + counted
                + " reads kept for later, " + tallies.size() + " summaries held): " + cause);
    }

    private AuditEvent entry(Map.Entry<Key, Tally> summary) {
        Key key = summary.getKey();
        Tally tally = summary.getValue();
        var details = Jsonp.object().add("count", tally.count).add("firstAt", tally.first.toString())
                .add("lastAt", tally.last.toString());
        if (key.window() == null) {
            details.add("late", true); // kept while the database was away: may span several intervals
        } else {
            details.add("interval", key.window() + "/" + interval);
        }
        return AuditEvent.of("token.served", key.caller(), key.instanceId(), key.source())
                .withDetails(details.build().toString()).withApp(key.appId());
    }

    private Instant windowOf(Instant at) {
        long length = interval.toMillis();
        long millis = at.toEpochMilli();
        return Instant.ofEpochMilli(millis - Math.floorMod(millis, length));
    }
}

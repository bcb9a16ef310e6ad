package io.wixoauth.core.audit;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.core.platform.Logs;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Events too frequent to append while their caller waits (a call through the Wix API proxy): queued in memory and
 * appended every second in one transaction. Bounded: if the database cannot keep up, what finds no room, or could not
 * be written, is counted ({@link Unwritten}), never blocking the caller. Whatever is queued at shutdown is appended
 * then; a crash loses at most a second's worth. (Token reads are summed up instead: {@link ReadSummaries}.)
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AuditBuffer {

    private static final Logger LOG = Logs.of(AuditBuffer.class);
    private static final int CAPACITY = 100_000;
    private static final int BATCH = 1_000;

    private final BlockingQueue<AuditEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();

    @Inject
    AuditService trail;

    @Inject
    Unwritten unwritten;

    /** Called on every proxy call: no transaction of its own (a singleton's default would begin and end one). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void add(AuditEvent event) {
        if (!queue.offer(event)) {
            unwritten.add(1);
            long total = dropped.incrementAndGet();
            if (total == 1 || total % 10_000 == 0) {
                LOG.warning("The audit buffer is full; " + total + " entries only counted so far (oauth_audit_unwritten_total)");
            }
        }
    }

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    void flush() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        while (queue.drainTo(batch, BATCH) > 0) {
            try {
                trail.recordAll(batch);
            } catch (RuntimeException e) {
                unwritten.add(batch.size());
                LOG.log(Level.SEVERE, batch.size() + " audit entries could not be written; they are counted "
                        + "(oauth_audit_unwritten_total, and an audit.unwritten entry once the database takes it)", e);
            }
            batch.clear();
        }
    }

    @PreDestroy
    void flushOnShutdown() {
        flush();
    }
}

package io.wixoauth.core.audit;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditRecord;
import io.wixoauth.api.audit.AuditService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends entries for callers that wait until theirs is committed, the entries of callers who arrive together in one
 * transaction (a group commit). Every append locks the chain's head row; one lock per entry made concurrent installs
 * queue on it (bench/NOTES.md). A caller that finds no append in flight appends everything waiting, its own entry and
 * those that arrived meanwhile; the others wait for that append, and the next in line takes what queued up during it.
 * A lone caller appends at once: nobody waits for a timer, and nobody returns before their entry is committed.
 */
@ApplicationScoped
public class GroupedAppends {

    /** Enough to empty the queue of a busy node in a few appends; small enough for one short transaction. */
    private static final int MOST_AT_ONCE = 200;

    private record Waiting(AuditEvent event, CompletableFuture<AuditRecord> appended) {
    }

    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock appending = new ReentrantLock();

    @Inject
    AuditService trail;

    /** Appends {@code event} to the chain, with any entries waiting beside it; returns once it is committed. */
    public AuditRecord append(AuditEvent event) {
        Waiting mine = new Waiting(event, new CompletableFuture<>());
        waiting.add(mine);
        appending.lock();
        try {
            while (!mine.appended().isDone()) {
                appendWaiting();
            }
        } finally {
            appending.unlock();
        }
        try {
            return mine.appended().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    private void appendWaiting() {
        List<Waiting> batch = new ArrayList<>();
        for (Waiting next = waiting.poll(); next != null; next = batch.size() < MOST_AT_ONCE ? waiting.poll() : null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<AuditRecord> records = trail.recordAll(batch.stream().map(Waiting::event).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).appended().complete(records.get(i));
            }
        } catch (RuntimeException e) {
            // One entry the database refuses must not take the others with it: each is appended on its own.
            batch.forEach(GroupedAppends.this::appendAlone);
        } finally {
            batch.forEach(left -> left.appended().completeExceptionally(
                    new IllegalStateException("The audit entry was not appended")));
        }
    }

    private void appendAlone(Waiting one) {
        try {
            one.appended().complete(trail.record(one.event()));
        } catch (RuntimeException e) {
            one.appended().completeExceptionally(e);
        }
    }
}

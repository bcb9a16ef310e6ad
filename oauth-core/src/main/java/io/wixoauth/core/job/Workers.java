package io.wixoauth.core.job;

import jakarta.enterprise.concurrent.ManagedExecutorService;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** A batch's workers on the managed executor; a worker's failure fails the batch with its own exception. */
final class Workers {

    private Workers() {
    }

    /**
     * Runs {@code action} once for each item, by up to {@code parallelism} workers taking items from one queue (so a
     * slow item holds up only its own worker), and returns when all are done.
     */
    static <T> void forEach(ManagedExecutorService executor, int parallelism, Collection<T> items, Consumer<T> action,
                            String what) {
        Queue<T> pending = new ConcurrentLinkedQueue<>(items);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = Math.min(parallelism, pending.size()); i > 0; i--) {
            workers.add(executor.submit(() -> {
                for (T next = pending.poll(); next != null; next = pending.poll()) {
                    action.accept(next);
                }
            }));
        }
        awaitAll(workers, what);
    }

    static void awaitAll(List<Future<?>> workers, String what) {
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during " + what, e);
            }
        }
    }
}

package io.wixoauth.core.token;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One load per key at a time on this node: a caller who finds a load of its key in flight waits for that load's
 * result (or its exception) instead of starting its own. It keeps nothing once a load ends; keeping results is the
 * cache's job.
 */
final class SingleFlight<K, V> {

    private final Map<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

    /** The result of {@code load}, run by this caller or by the one whose load of {@code key} is in flight. */
    V run(K key, Supplier<V> load) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> flight = inFlight.putIfAbsent(key, mine);
        if (flight != null) {
            return await(flight);
        }
        try {
            mine.complete(load.get());
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.remove(key, mine);
        }
        return await(mine);
    }

    /** Loads in flight now (for tests and metrics). */
    int inFlight() {
        return inFlight.size();
    }

    private static <V> V await(CompletableFuture<V> flight) {
        try {
            return flight.join();
        } catch (CompletionException e) {
            // Waiters see the loader's own exception, not a wrapper.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}

package io.wixoauth.core.token;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A cache where concurrent misses for one key wait for a single load instead of each starting their own.
 * A value stays until {@code stillFresh} says otherwise; a failed load is never kept, so the next caller tries again.
 */
public final class SingleFlightCache<K, V> {

    private final Map<K, CompletableFuture<V>> entries = new ConcurrentHashMap<>();

    public V get(K key, Predicate<V> stillFresh, Supplier<V> loader) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        // compute() is atomic per key: exactly one caller installs its future and becomes the loader.
        CompletableFuture<V> current = entries.compute(key,
                (k, existing) -> existing == null || isStale(existing, stillFresh) ? mine : existing);
        if (current == mine) {
            load(key, mine, loader);
        }
        return await(current);
    }

    public void evict(K key) {
        entries.remove(key);
    }

    public int size() {
        return entries.size();
    }

    private void load(K key, CompletableFuture<V> flight, Supplier<V> loader) {
        try {
            flight.complete(loader.get());
        } catch (RuntimeException | Error e) {
            entries.remove(key, flight);
            flight.completeExceptionally(e);
        }
    }

    private boolean isStale(CompletableFuture<V> entry, Predicate<V> stillFresh) {
        if (!entry.isDone()) {
            return false;
        }
        return entry.isCompletedExceptionally() || !stillFresh.test(entry.join());
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

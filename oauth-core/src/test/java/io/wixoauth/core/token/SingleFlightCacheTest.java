package io.wixoauth.core.token;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SingleFlightCacheTest {

    private final SingleFlightCache<String, String> cache = new SingleFlightCache<>();
    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void concurrentMissesShareOneLoad() throws Exception {
        CountDownLatch loaderEntered = new CountDownLatch(1);
        CountDownLatch releaseLoader = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<CompletableFuture<String>> callers = IntStream.range(0, 64)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> cache.get("k", v -> true, () -> {
                        loads.incrementAndGet();
                        loaderEntered.countDown();
                        await(releaseLoader);
                        return "token";
                    }), pool))
                    .toList();
            assertThat(loaderEntered.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100); // let every caller reach the cache while the load is held open
            releaseLoader.countDown();

            assertThat(callers.stream().map(CompletableFuture::join)).containsOnly("token");
            assertThat(loads).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFreshValueIsServedWithoutLoading() {
        cache.get("k", v -> true, () -> load("first"));
        assertThat(cache.get("k", v -> true, () -> load("second"))).isEqualTo("first");
        assertThat(loads).hasValue(1);
    }

    @Test
    void aStaleValueIsLoadedAgain() {
        cache.get("k", v -> true, () -> load("first"));
        assertThat(cache.get("k", v -> false, () -> load("second"))).isEqualTo("second");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aFailedLoadReachesTheCallerAndIsNotKept() {
        assertThatThrownBy(() -> cache.get("k", v -> true, () -> {
            throw new IllegalStateException("upstream down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("upstream down");

        assertThat(cache.size()).isZero();
        assertThat(cache.get("k", v -> true, () -> load("recovered"))).isEqualTo("recovered");
    }

    @Test
    void keysAreIndependentAndEvictionForgets() {
        cache.get("a", v -> true, () -> load("A"));
        cache.get("b", v -> true, () -> load("B"));
        cache.evict("a");
        assertThat(cache.get("a", v -> true, () -> load("A2"))).isEqualTo("A2");
        assertThat(cache.get("b", v -> true, () -> load("B2"))).isEqualTo("B");
    }

    private String load(String value) {
        loads.incrementAndGet();
        return value;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.wixoauth.core.token;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SingleFlightTest {

    private final SingleFlight<String, String> flights = new SingleFlight<>();
    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void concurrentCallersOfOneKeyShareOneLoad() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(64, r -> {
            Thread thread = new Thread(r);
            threads.add(thread);
            return thread;
        });
        try {
            List<CompletableFuture<String>> callers = IntStream.range(0, 64)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> flights.run("k", () -> {
                        loads.incrementAndGet();
                        // Held open until every other caller is parked waiting for this very load.
                        awaitOthersParked(threads, Thread.currentThread());
                        return "token";
                    }), pool))
                    .toList();

            assertThat(callers.stream().map(CompletableFuture::join)).containsOnly("token");
            assertThat(loads).as("loads for 64 callers").hasValue(1);
            assertThat(flights.inFlight()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedLoadReachesTheCallerAndTheNextCallLoadsAgain() {
        assertThatThrownBy(() -> flights.run("k", () -> {
            throw new IllegalStateException("upstream down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("upstream down");

        assertThat(flights.inFlight()).isZero();
        assertThat(flights.run("k", () -> load("recovered"))).isEqualTo("recovered");
    }

    @Test
    void nothingIsKeptOnceALoadEnds() {
        assertThat(flights.run("a", () -> load("A"))).isEqualTo("A");
        assertThat(flights.run("a", () -> load("A2"))).isEqualTo("A2");
        assertThat(flights.run("b", () -> load("B"))).isEqualTo("B");
        assertThat(loads).hasValue(3);
    }

    private String load(String value) {
        loads.incrementAndGet();
        return value;
    }

    /** Waits (5 s at most) until the 63 other pool threads exist and are all parked. */
    private static void awaitOthersParked(List<Thread> threads, Thread loader) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && !(threads.size() == 64 && threads.stream().filter(t -> t != loader)
                .allMatch(t -> t.getState() == Thread.State.WAITING))) {
            Thread.onSpinWait();
        }
    }
}

package io.wixoauth.web.support;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/** Many callers released at the same instant, as a burst of backend requests. */
public final class Concurrently {

    private Concurrently() {
    }

    public static <T> List<T> run(int callers, Supplier<T> call) {
        return run(callers, i -> call.get());
    }

    /** As {@link #run(int, Supplier)}, each caller told its number, from 0. */
    public static <T> List<T> run(int callers, IntFunction<T> call) {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<T>> futures = IntStream.range(0, callers)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return call.apply(i);
                    }, pool))
                    .toList();
            start.countDown();
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.wixoauth.core.wix;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/**
 * Retries may add at most a fifth to the calls made to Wix over the last ten seconds, plus ten, so that in an outage
 * each caller's retries do not multiply the load on Wix (the idea of Finagle's and gRPC's retry budgets). When the
 * budget is spent a failure is reported at once instead of retried. Per node.
 */
@ApplicationScoped
public class RetryBudget {

    static final double RATIO = 0.2;
    static final int FLOOR = 10;
    private static final int WINDOW_SECONDS = 10;

    private final Clock clock;
    private final long[] attempts = new long[WINDOW_SECONDS];
    private final long[] retries = new long[WINDOW_SECONDS];
    private long second;

    public RetryBudget() {
        this(Clock.systemUTC());
    }

    RetryBudget(Clock clock) {
        this.clock = clock;
        this.second = clock.millis() / 1000;
    }

    /** Every call to Wix, first or retried. */
    public synchronized void attempted() {
        advance();
        attempts[slot()]++;
    }

    /** True, and counted, when one more retry fits the budget. */
    public synchronized boolean tryRetry() {
        advance();
        if (sum(retries) >= FLOOR + RATIO * sum(attempts)) {
            return false;
        }
        retries[slot()]++;
        return true;
    }

    /** Clears the seconds that passed since the last call, so the arrays hold only the window. */
    private void advance() {
        long now = clock.millis() / 1000;
        for (long s = Math.max(second + 1, now - WINDOW_SECONDS + 1); s <= now; s++) {
            attempts[(int) (s % WINDOW_SECONDS)] = 0;
            retries[(int) (s % WINDOW_SECONDS)] = 0;
        }
        second = Math.max(second, now);
    }

    private int slot() {
        return (int) (second % WINDOW_SECONDS);
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }
}

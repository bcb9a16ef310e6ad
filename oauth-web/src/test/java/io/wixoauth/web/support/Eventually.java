package io.wixoauth.web.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for something the service does in the background, the one way the tests wait: look, and look again every
 * 100 ms until it holds or the time is up. Never a fixed sleep where the service's own state can be watched.
 */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(100);

    private Eventually() {
    }

    /** True as soon as {@code condition} holds, false if it still does not after {@code within}. */
    public static boolean eventually(BooleanSupplier condition, Duration within) {
        return eventually(condition::getAsBoolean, held -> held, within);
    }

    /** Within 20 s: ample for a background step that takes well under a second. */
    public static boolean eventually(BooleanSupplier condition) {
        return eventually(condition, Duration.ofSeconds(20));
    }

    /**
     * The first value of {@code probe} that {@code done} accepts, or the last one seen when {@code within} is up: the
     * caller asserts on it, so a failure shows what was there instead of a bare "false".
     */
    public static <T> T eventually(Supplier<T> probe, Predicate<T> done, Duration within) {
        Instant deadline = Instant.now().plus(within);
        T seen = probe.get();
        while (!done.test(seen) && Instant.now().isBefore(deadline)) {
            pause(POLL);
            seen = probe.get();
        }
        return seen;
    }

    /**
     * The value of {@code probe} once it has stayed the same for {@code still} (what the service writes in the
     * background has landed), or the last one seen when {@code within} is up.
     */
    public static <T> T settled(Supplier<T> probe, Duration still, Duration within) {
        Instant deadline = Instant.now().plus(within);
        T seen = probe.get();
        Instant since = Instant.now();
        while (Instant.now().isBefore(deadline) && Duration.between(since, Instant.now()).compareTo(still) < 0) {
            pause(POLL);
            T now = probe.get();
            if (!now.equals(seen)) {
                seen = now;
                since = Instant.now();
            }
        }
        return seen;
    }

    /**
     * True if {@code condition} held at every look during {@code period}; false as soon as it does not. For what must
     * not happen (a second delivery, a call to Wix): the period is how long the service would take to do it.
     */
    public static boolean throughout(BooleanSupplier condition, Duration period) {
        Instant end = Instant.now().plus(period);
        while (Instant.now().isBefore(end)) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            pause(POLL);
        }
        return condition.getAsBoolean();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}

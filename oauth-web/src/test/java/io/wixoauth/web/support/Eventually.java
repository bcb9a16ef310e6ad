package io.wixoauth.web.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waiting for something the service does in the background: polls until it holds or the time is up. */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(100);

    private Eventually() {
    }

    /** True as soon as {@code condition} holds, false if it still does not after {@code within}. */
    public static boolean eventually(BooleanSupplier condition, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    /** Within 20 s: ample for a background step that takes well under a second. */
    public static boolean eventually(BooleanSupplier condition) {
        return eventually(condition, Duration.ofSeconds(20));
    }
}

package io.wixoauth.core.platform;

import java.time.Duration;
import java.time.Instant;

/**
 * A configurable period for work a one-second EJB schedule ticks: true once per period. (A non-persistent
 * {@code @Schedule} needs no timer database; a programmatic interval timer would start Payara Server's persistent one.)
 */
public final class Interval {

    private final Duration length;
    private Instant start = Instant.now();

    public Interval(Duration length) {
        this.length = length;
    }

    /** True when a period has passed since the last time this said so; a new period starts then. */
    public synchronized boolean due() {
        Instant now = Instant.now();
        if (now.isBefore(start.plus(length))) {
            return false;
        }
        start = now;
        return true;
    }

    public Duration length() {
        return length;
    }
}

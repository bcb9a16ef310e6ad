package io.wixoauth.core.platform;

import io.wixoauth.api.admin.WixHealth;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Wix as this node saw it lately, for the operations console's overview: the last {@value #KEPT} calls' times and
 * latencies, whether Wix failed them (no answer, 5xx), and when Wix last answered 429 and the gate last refused a call
 * because Wix was failing for everyone (the circuit breaker). Fixed size, whatever the traffic; the same figures
 * over all time are in {@code /metrics}.
 */
final class UpstreamWindow {

    static final int KEPT = 512;
    static final Duration SPAN = Duration.ofMinutes(15);

    private final long[] at = new long[KEPT];
    private final long[] millis = new long[KEPT];
    private final boolean[] failed = new boolean[KEPT];
    private int next;
    private int size;
    private long throttledAt = Long.MIN_VALUE;
    private long pausedAt = Long.MIN_VALUE;
    private int throttled;

    synchronized void call(Instant when, Duration took, boolean wixFailed) {
        at[next] = when.toEpochMilli();
        millis[next] = took.toMillis();
        failed[next] = wixFailed;
        next = (next + 1) % KEPT;
        size = Math.min(size + 1, KEPT);
    }

    synchronized void throttled(Instant when) {
        throttledAt = when.toEpochMilli();
        throttled++;
    }

    synchronized void paused(Instant when) {
        pausedAt = when.toEpochMilli();
    }

    synchronized WixHealth snapshot(Instant now) {
        long since = now.minus(SPAN).toEpochMilli();
        long[] recent = new long[size];
        int count = 0;
        int failures = 0;
        for (int i = 0; i < size; i++) {
            if (at[i] >= since) {
                recent[count++] = millis[i];
                failures += failed[i] ? 1 : 0;
            }
        }
        long[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        return new WixHealth(count, failures, percentile(sorted, 50), percentile(sorted, 95),
                instant(throttledAt), instant(pausedAt), pausedAt >= now.toEpochMilli() - 60_000, throttled);
    }

    private static Long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? null : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static Instant instant(long epochMilli) {
        return epochMilli == Long.MIN_VALUE ? null : Instant.ofEpochMilli(epochMilli);
    }
}

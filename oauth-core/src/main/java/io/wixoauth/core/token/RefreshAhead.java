package io.wixoauth.core.token;

import io.wixoauth.core.platform.MissingSettingException;
import io.wixoauth.core.platform.StartupCheck;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a busy instance's token is fetched again before it expires (docs/configuration.md, "Refresh ahead"): once it
 * is in the last {@code oauth.refresh-ahead.window} of the time a node may serve it (10%), if the instance was read at
 * least {@code oauth.refresh-ahead.min-reads} times (5) in the current and the previous
 * {@code oauth.refresh-ahead.interval} (a minute). An instance nobody reads any more is left to expire. The decision
 * only; the fetch is {@link DefaultAccessTokenService}'s, in the background, once across nodes (the lease).
 */
@ApplicationScoped
public class RefreshAhead implements StartupCheck {

    static final String WINDOW = "oauth.refresh-ahead.window";
    static final String MIN_READS = "oauth.refresh-ahead.min-reads";
    static final String INTERVAL = "oauth.refresh-ahead.interval";
    /** A refresh ahead that failed or found no room is tried again no sooner than this. */
    static final Duration RETRY = Duration.ofSeconds(2);

    @Inject
    Config config;

    /** The window in hundredths of a percent of the servable life; 0 when off. */
    private int windowBasisPoints;
    private long minReads;
    private long intervalMillis;

    @PostConstruct
    void load() {
        String window = config.getOptionalValue(WINDOW, String.class).orElse("10%").strip();
        windowBasisPoints = "off".equalsIgnoreCase(window) ? 0 : percent(window);
        minReads = config.getOptionalValue(MIN_READS, String.class).map(String::strip).map(RefreshAhead::minReads)
                .orElse(5L);
        Duration interval = config.getOptionalValue(INTERVAL, String.class).map(String::strip)
                .map(RefreshAhead::interval).orElse(Duration.ofMinutes(1));
        intervalMillis = interval.toMillis();
    }

    @Override
    public String check() {
        return windowBasisPoints == 0 ? "Refresh ahead: off (" + WINDOW + ")"
                : "Refresh ahead: in the last " + windowBasisPoints / 100.0 + "% of a token's life, for instances read "
                + minReads + " times or more in " + Duration.ofMillis(intervalMillis) + " to " + Duration.ofMillis(2 * intervalMillis);
    }

    /** When a token kept at {@code keptAt} and served until {@code servedUntil} enters the window; never when off. */
    Instant aheadAt(Instant keptAt, Instant servedUntil) {
        if (windowBasisPoints == 0 || !keptAt.isBefore(servedUntil)) {
            return Instant.MAX;
        }
        long life = Duration.between(keptAt, servedUntil).toMillis();
        return servedUntil.minusMillis(life * windowBasisPoints / 10_000);
    }

    /** Whether reads counted in {@code reads} make the instance busy at {@code nowMillis}. */
    boolean busy(Reads reads, long nowMillis) {
        return reads.recent(nowMillis, intervalMillis) >= minReads;
    }

    void counted(Reads reads, long nowMillis) {
        reads.add(nowMillis, intervalMillis);
    }

    /**
     * An instance's reads in the current and the previous interval (aligned to the clock), counted on every cache hit:
     * one atomic add, the two counters turned over by the first read of a new interval.
     */
    static final class Reads {
        private final AtomicLong current = new AtomicLong();
        private volatile long slot;
        private volatile long previous;

        void add(long nowMillis, long intervalMillis) {
            turnOver(nowMillis / intervalMillis);
            current.incrementAndGet();
        }

        long recent(long nowMillis, long intervalMillis) {
            long now = nowMillis / intervalMillis;
            long at = slot;
            return at == now ? previous + current.get() : at == now - 1 ? current.get() : 0;
        }

        private void turnOver(long now) {
            if (slot != now) {
                synchronized (this) {
                    if (slot != now) {
                        previous = slot == now - 1 ? current.get() : 0;
                        current.set(0);
                        slot = now;
                    }
                }
            }
        }
    }

    private static int percent(String value) {
        try {
            if (value.endsWith("%")) {
                double percent = Double.parseDouble(value.substring(0, value.length() - 1).strip());
                if (percent >= 1 && percent <= 50) {
                    return (int) Math.round(percent * 100);
                }
            }
        } catch (NumberFormatException e) {
            // reported below, naming the setting
        }
        throw new MissingSettingException(WINDOW, "must be a share of a token's life from 1% to 50%, or off (it is \""
                + value + "\")");
    }

    private static long minReads(String value) {
        try {
            long reads = Long.parseLong(value);
            if (reads >= 1) {
                return reads;
            }
        } catch (NumberFormatException e) {
            // reported below, naming the setting
        }
        throw new MissingSettingException(MIN_READS, "must be a whole number of reads, 1 or more (it is \"" + value + "\")");
    }

    private static Duration interval(String value) {
        try {
            Duration interval = Duration.parse(value);
            if (interval.compareTo(Duration.ofSeconds(1)) >= 0 && interval.compareTo(Duration.ofHours(1)) <= 0) {
                return interval;
            }
        } catch (RuntimeException e) {
            // reported below, naming the setting
        }
        throw new MissingSettingException(INTERVAL, "must be an ISO-8601 duration from PT1S to PT1H (it is \""
                + value + "\")");
    }
}

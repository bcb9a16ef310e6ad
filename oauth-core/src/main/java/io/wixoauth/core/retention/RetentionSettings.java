package io.wixoauth.core.retention;

import io.wixoauth.core.platform.MissingSettingException;
import io.wixoauth.core.platform.StartupCheck;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.Optional;

/**
 * How long each kind of row is kept (docs/configuration.md, "Retention"): ISO-8601 durations, each with a default a
 * production deployment can live with. A value that is not a positive duration stops start-up, naming the setting.
 */
@ApplicationScoped
public class RetentionSettings implements StartupCheck {

    static final String UNINSTALLED = "oauth.retention.uninstalled";
    static final String DELIVERED = "oauth.retention.delivered";
    static final String FAILED = "oauth.retention.failed";
    static final String JOBS = "oauth.retention.jobs";
    static final String TOMBSTONES = "oauth.retention.tombstones";
    static final String AUDIT = "oauth.retention.audit";
    static final String RUN_EVERY = "oauth.retention.run-every";
    static final String KEEP_REFRESH_TOKENS = "oauth.migration.keep-refresh-tokens";

    @Inject
    Config config;

    private Duration uninstalled;
    private Duration delivered;
    private Duration failed;
    private Duration jobs;
    private Duration tombstones;
    private Duration audit;
    private Duration runEvery;
    private Duration keepRefreshTokens;

    @PostConstruct
    void load() {
        uninstalled = horizon(UNINSTALLED, "P30D");
        delivered = horizon(DELIVERED, "P7D");
        failed = horizon(FAILED, "P30D");
        jobs = horizon(JOBS, "P30D");
        tombstones = horizon(TOMBSTONES, "P400D");
        String auditValue = config.getOptionalValue(AUDIT, String.class).orElse("P400D").strip();
        audit = "off".equalsIgnoreCase(auditValue) ? null : parse(AUDIT, auditValue);
        runEvery = horizon(RUN_EVERY, "PT1H");
        keepRefreshTokens = horizon(KEEP_REFRESH_TOKENS, "P30D");
        if (tombstones.compareTo(uninstalled) < 0) {
            throw new MissingSettingException(TOMBSTONES, "is shorter than " + UNINSTALLED
                    + ": a tombstone must outlive the installation it replaces by more than that");
        }
    }

    @Override
    public String check() {
        return "Retention: uninstalled installations " + iso(uninstalled) + ", delivered events " + iso(delivered)
                + ", failed deliveries " + iso(failed) + ", finished jobs " + iso(jobs) + ", tombstones "
                + iso(tombstones) + ", audit entries " + (audit == null ? "kept" : iso(audit))
                + ", refresh tokens of migrated installations " + iso(keepRefreshTokens) + "; a purge every "
                + iso(runEvery);
    }

    public Duration uninstalled() {
        return uninstalled;
    }

    public Duration delivered() {
        return delivered;
    }

    public Duration failed() {
        return failed;
    }

    public Duration jobs() {
        return jobs;
    }

    public Duration tombstones() {
        return tombstones;
    }

    /** Empty when set to {@code off}: the trail is kept whole (it is also kept whole without an archive directory). */
    public Optional<Duration> audit() {
        return Optional.ofNullable(audit);
    }

    /** How long an installation moved off custom authentication keeps its refresh token, for a switch back. */
    public Duration keepRefreshTokens() {
        return keepRefreshTokens;
    }

    public Duration runEvery() {
        return runEvery;
    }

    /** As an operator writes it: whole days as {@code P30D} ({@link Duration#toString} would say PT720H). */
    public static String iso(Duration duration) {
        return duration.toSeconds() % 86_400 == 0 && duration.getNano() == 0
                ? "P" + duration.toDays() + "D" : duration.toString();
    }

    private Duration horizon(String name, String byDefault) {
        return parse(name, config.getOptionalValue(name, String.class).orElse(byDefault).strip());
    }

    private static Duration parse(String name, String value) {
        try {
            Duration duration = Duration.parse(value);
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (RuntimeException e) {
            // reported below, naming the setting
        }
        throw new MissingSettingException(name, "must be a positive ISO-8601 duration such as P30D or PT12H (it is "
                + "\"" + value + "\")");
    }
}

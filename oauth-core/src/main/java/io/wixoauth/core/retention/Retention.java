package io.wixoauth.core.retention;

import io.wixoauth.api.admin.RetentionPreview;
import io.wixoauth.api.admin.RetentionService;
import io.wixoauth.core.audit.AuditArchives;
import io.wixoauth.core.console.ConsoleSettings;
import io.wixoauth.persistence.audit.AuditRepository;
import io.wixoauth.persistence.console.ConsoleSessionRepository;
import io.wixoauth.persistence.installation.InstallationRepository;
import io.wixoauth.persistence.job.BackgroundJobRepository;
import io.wixoauth.persistence.proxy.CallBudgetRepository;
import io.wixoauth.persistence.relay.Delivery;
import io.wixoauth.persistence.relay.RelayRepository;
import jakarta.ejb.Local;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the purge removes, kind by kind, as of a moment: a preview counts it as of now; the purge job (in
 * {@code core.job}) removes it as of when it was started, so that what the preview showed is what the job removes.
 */
@Stateless
@Local(RetentionService.class)
@LocalBean
public class Retention implements RetentionService {

    /** The kinds, in the order the purge removes them. */
    public static final List<String> KINDS = List.of("installations", "pendingDeliveries", "deliveredDeliveries",
            "failedDeliveries", "events", "jobs", "tombstones", "staleBudgets", "keptRefreshTokens", "consoleSessions",
            "auditEntries");
    /** A budget row of a minute this long past, with no back-off running, holds nothing a call needs. */
    static final Duration STALE_BUDGET = Duration.ofHours(1);

    @Inject
    Clock clock;

    @Inject
    RetentionSettings settings;

    @Inject
    InstallationRepository installationRows;

    @Inject
    RelayRepository relay;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    CallBudgetRepository budgets;

    @Inject
    AuditRepository auditRows;

    @Inject
    ConsoleSessionRepository consoleSessions;

    @Inject
    ConsoleSettings console;

    @Inject
    AuditArchives archives;

    /** The cut-off of each kind as of {@code asOf}; {@code audit} is null when the trail is kept whole. */
    public record Horizons(Instant asOf, Instant uninstalled, Instant delivered, Instant failed, Instant jobs,
                           Instant tombstones, Instant audit, Instant consoleIdleSince) {

        public long staleBudgetMinute() {
            return asOf.minus(STALE_BUDGET).toEpochMilli() / 60_000;
        }
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Horizons horizons(Instant asOf) {
        boolean archiving = archives.directory().isPresent() && settings.audit().isPresent();
        return new Horizons(asOf, asOf.minus(settings.uninstalled()), asOf.minus(settings.delivered()),
                asOf.minus(settings.failed()), asOf.minus(settings.jobs()), asOf.minus(settings.tombstones()),
                archiving ? asOf.minus(settings.audit().get()) : null, asOf.minus(console.sessionIdle()));
    }

    /** How often a purge is started by the service itself. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Duration runEvery() {
        return settings.runEvery();
    }

    /** What a purge started now would remove. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    @Override
    public RetentionPreview preview() {
        Horizons h = horizons(Instant.now(clock));
        List<RetentionPreview.Kind> kinds = new ArrayList<>();
        kinds.add(kind("installations", RetentionSettings.UNINSTALLED, settings.uninstalled(), h.uninstalled(),
                installationRows.countUninstalledBefore(h.uninstalled()),
                "uninstalled installations; each leaves a tombstone, and its shared token and budget go with it"));
        kinds.add(kind("pendingDeliveries", RetentionSettings.UNINSTALLED, settings.uninstalled(), h.uninstalled(),
                relay.countPendingOfUninstalledBefore(h.uninstalled()), "deliveries not yet settled of those installations"));
        kinds.add(kind("deliveredDeliveries", RetentionSettings.DELIVERED, settings.delivered(), h.delivered(),
                relay.countSettledBefore(Delivery.State.DELIVERED, h.delivered()), "delivered events' deliveries"));
        kinds.add(kind("failedDeliveries", RetentionSettings.FAILED, settings.failed(), h.failed(),
                relay.countSettledBefore(Delivery.State.FAILED, h.failed()), "deliveries that were given up"));
        kinds.add(kind("events", RetentionSettings.DELIVERED, settings.delivered(), h.delivered(),
                relay.countEventsFreedBefore(h.delivered(), h.delivered(), h.failed(), h.uninstalled()),
                "relayed events no delivery needs any more (replay reaches back this far)"));
        kinds.add(kind("jobs", RetentionSettings.JOBS, settings.jobs(), h.jobs(), jobs.countFinishedBefore(h.jobs()),
                "finished jobs"));
        kinds.add(kind("tombstones", RetentionSettings.TOMBSTONES, settings.tombstones(), h.tombstones(),
                installationRows.countTombstonesBefore(h.tombstones()), "what is left of purged installations"));
        kinds.add(new RetentionPreview.Kind("staleBudgets", null, STALE_BUDGET.toString(),
                Instant.ofEpochMilli(h.staleBudgetMinute() * 60_000),
                budgets.countStale(h.staleBudgetMinute(), h.asOf().toEpochMilli()), "proxy budgets of minutes long past"));
        kinds.add(kind("keptRefreshTokens", RetentionSettings.KEEP_REFRESH_TOKENS, settings.keepRefreshTokens(),
                h.asOf(), installationRows.countKeptRefreshTokensBefore(h.asOf()),
                "refresh tokens of installations moved off custom authentication whose grace period is over"));
        kinds.add(kind("consoleSessions", "oauth.console.session-idle", console.sessionIdle(), h.consoleIdleSince(),
                consoleSessions.countEnded(h.asOf(), h.consoleIdleSince()),
                "console sessions idle that long, or past oauth.console.session-max"));
        kinds.add(h.audit() == null
                ? new RetentionPreview.Kind("auditEntries", RetentionSettings.AUDIT, null, null, 0,
                archives.directory().isEmpty() ? "off: oauth.audit.archive-dir is not set, the trail is kept whole"
                        : "off: oauth.retention.audit is off, the trail is kept whole")
                : kind("auditEntries", RetentionSettings.AUDIT, settings.audit().get(), h.audit(),
                auditRows.countOldestBefore(h.audit()), "archived to " + archives.directory().get() + ", then removed"));
        return new RetentionPreview(h.asOf(), kinds);
    }

    private static RetentionPreview.Kind kind(String kind, String setting, Duration horizon, Instant olderThan,
                                              long count, String note) {
        return new RetentionPreview.Kind(kind, setting, RetentionSettings.iso(horizon), olderThan, count, note);
    }
}

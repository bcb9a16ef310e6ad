package io.wixoauth.core.installation;

import io.wixoauth.api.Secret;
import io.wixoauth.api.error.InstanceNotConfirmedException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstallationChanged;
import io.wixoauth.api.installation.InstallationFailed;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.relay.EventOutbox;
import io.wixoauth.core.relay.ServiceEvents;
import io.wixoauth.core.wix.WixSettings;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.Installation.ImportOutcome;
import io.wixoauth.persistence.installation.InstallationMode;
import io.wixoauth.persistence.installation.InstallationRepository;
import io.wixoauth.persistence.job.ImportLine;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one writer of installations: the handshake, webhooks, the fallback, imports, key rotation and operators' actions
 * all change them here. Each change runs in a transaction of its own (a failure in one, the database refusing a
 * refresh token say, must not take the fallback that follows down with it), except the batch steps of jobs, which join
 * their batch's. The event a backend hears of a change is written in the same transaction ({@link EventOutbox}); a
 * change to what an installation is served fires {@link InstallationChanged}, which what holds derived state (the
 * token cache) observes, with the change and after its commit.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class Installations {

    @Inject
    Clock clock;

    @Inject
    InstallationRepository repository;

    @Inject
    WixSettings settings;

    @Inject
    EventOutbox outbox;

    @Inject
    Event<InstallationChanged> changes;

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<Installation> find(InstanceId instanceId) {
        return repository.findByInstanceId(instanceId);
    }

    /** The critical step of the handshake (protocol section 2, step 5): commit the refresh token, or throw. */
    public void recordInstall(InstanceId instanceId, AppId appId, Secret refreshToken) {
        Instant now = Instant.now(clock);
        Installation installation = repository.lockByInstanceId(instanceId).orElseGet(() -> {
            Installation created = new Installation(instanceId, appId.value(), InstallationMode.REFRESH_TOKEN, now);
            repository.add(created);
            return created;
        });
        if (!installation.getAppId().equals(appId.value())) {
            // An instance is one app's installation (protocol section 12): another app's token is never stored on it.
            throw new InstanceNotConfirmedException("Instance " + instanceId + " is recorded as another app's "
                    + "installation; nothing was stored.");
        }
        installation.completeInstall(refreshToken, now);
        repository.flush();
        outbox.record(ServiceEvents.completed(instanceId, "refresh_token", null).forApp(installation.getAppId()));
        changes.fire(InstallationChanged.of(instanceId));
    }

    /**
     * Written before the install callback exchanges its code, for an instance with no record yet: if the process dies
     * before the install is recorded, operations find an interrupted install served by client credentials, never
     * nothing. Recording the install (or its fallback) replaces it. Returns whether a record was created. Only the
     * browser vouches for it so far: it is kept until {@code unconfirmedUntil} (the state's expiry), no longer, unless
     * Wix confirms the instance. It changes no token: the instance was served by client credentials before it.
     */
    public boolean recordInstallStarted(InstanceId instanceId, AppId appId, String reference, Instant unconfirmedUntil) {
        if (repository.findByInstanceId(instanceId).isPresent()) {
            return false; // an existing record is already visible, and stays as it is until the install completes
        }
        Instant now = Instant.now(clock);
        Installation started = new Installation(instanceId, appId.value(),
                InstallationMode.CLIENT_CREDENTIALS_FALLBACK, now);
        started.fallBackToClientCredentials(Installation.INSTALL_INTERRUPTED + ": the service stopped during the "
                + "install callback at " + now + " (reference " + reference + ")", now);
        started.unconfirmedUntil(unconfirmedUntil);
        repository.add(started);
        repository.flush();
        return true;
    }

    /** Installations a browser claimed that Wix never confirmed, once their handshake's state has expired. */
    public int sweepUnconfirmed(Instant now) {
        return repository.deleteUnconfirmedBefore(now);
    }

    /** Wix refused the code, so there was no install: take back what {@link #recordInstallStarted} wrote. */
    public void abandonInstallStarted(InstanceId instanceId) {
        repository.findByInstanceId(instanceId).filter(Installation::isInterruptedInstall).ifPresent(repository::remove);
    }

    /**
     * Serve the instance with client credentials from now on, keeping any stored ciphertext as evidence. A failure a
     * token load found (Wix refusing the refresh token) changes nothing cached: that load is the one that serves, and
     * shares, the client-credentials token the fallback verified. Returns false when the installation is one only a
     * browser vouched for: then nothing is announced until Wix confirms it ({@link #confirmFallback}).
     */
    public boolean recordFallback(InstallationFailed failure) {
        Instant now = Instant.now(clock);
        String reason = failure.reason() + " at " + failure.at() + " (reference " + failure.requestReference() + ")";
        Installation installation = repository.lockByInstanceId(failure.instanceId()).orElseGet(() -> {
            Installation created = new Installation(failure.instanceId(), failure.appId().value(),
                    InstallationMode.CLIENT_CREDENTIALS_FALLBACK, now);
            repository.add(created);
            return created;
        });
        if (failure.reason() == InstallationFailed.Reason.REFRESH_TOKEN_REJECTED) {
            installation.rejectRefreshToken(reason, now);
        } else {
            installation.fallBackToClientCredentials(reason, now);
        }
        if (!installation.isConfirmed()) {
            return false;
        }
        announceFallback(installation, failure.reason() == InstallationFailed.Reason.REFRESH_TOKEN_REJECTED);
        if (!failure.reason().foundByTokenLoad()) {
            changes.fire(InstallationChanged.of(failure.instanceId()));
        }
        return true;
    }

    /**
     * Wix vouched for an instance a browser claimed (it issued a client-credentials token for it): the fallback is
     * kept and announced now. What it is served does not change: client credentials before, as after.
     */
    public void confirmFallback(InstanceId instanceId) {
        repository.lockByInstanceId(instanceId).ifPresent(installation -> confirm(installation, Instant.now(clock)));
    }

    /**
     * Kept from now on. A fallback recorded while only a browser vouched for the instance is announced now; an install
     * still in flight (or stopped by a crash) is not: it announces itself when it completes, as any install does.
     */
    private void confirm(Installation installation, Instant now) {
        if (installation.confirm(now) && !installation.isInterruptedInstall()) {
            announceFallback(installation, false);
        }
    }

    /** Wix refused the client credentials of an instance a browser claimed: the app is not installed there. */
    public void abandonUnconfirmed(InstanceId instanceId) {
        repository.lockByInstanceId(instanceId).filter(i -> !i.isConfirmed()).ifPresent(repository::remove);
    }

    private void announceFallback(Installation installation, boolean refreshTokenRefused) {
        InstanceId instanceId = installation.instanceId();
        outbox.record((refreshTokenRefused ? ServiceEvents.refreshTokenRefused(instanceId, installation.getFailureReason())
                : ServiceEvents.fallenBack(instanceId, installation.getFailureReason())).forApp(installation.getAppId()));
    }

    public void recordFallbackOutcome(InstanceId instanceId, String outcome) {
        repository.lockByInstanceId(instanceId).ifPresent(i -> i.fallBackToClientCredentials(
                truncate(i.getFailureReason() + "; " + outcome), Instant.now(clock)));
    }

    /**
     * Store whatever refresh token a refresh returned (Wix does not rotate today, section 4); never an empty one. The
     * access token that refresh bought is still this installation's, so nothing is evicted.
     */
    public void recordReturnedRefreshToken(InstanceId instanceId, Secret refreshToken) {
        repository.findByInstanceId(instanceId).ifPresent(i -> i.replaceRefreshToken(refreshToken, Instant.now(clock)));
    }

    /**
     * AppInstalled (section 6): a new instance, a cloned site ({@code originInstanceId}: no consent flow, so no refresh
     * token) or a reinstall after a removal, all on client credentials by design. A duplicate changes nothing.
     */
    public boolean recordAppInstalled(InstanceId instanceId, AppId appId, Instant occurredAt, String originInstanceId) {
        Instant now = Instant.now(clock);
        Optional<Installation> existing = repository.findByInstanceId(instanceId);
        boolean changed;
        if (existing.isPresent() && !existing.get().getAppId().equals(appId.value())) {
            return false; // an instance is one app's installation (protocol section 12): another app's says nothing of it
        } else if (existing.isPresent() && !existing.get().isConfirmed()) {
            // An install whose callback is under way, or could not reach Wix: Wix announces it, so it is kept.
            confirm(existing.get(), now);
            return true;
        } else if (existing.isPresent()) {
            changed = existing.get().reinstallByWebhook(occurredAt, originInstanceId, now);
        } else if (repository.tombstone(instanceId).filter(uninstalled -> !occurredAt.isAfter(uninstalled)).isPresent()) {
            return false; // purged after its removal: an install from before it (a replay) does not bring it back
        } else {
            Installation created = new Installation(instanceId, appId.value(), InstallationMode.CLIENT_CREDENTIALS, now);
            created.arrivedByWebhook(occurredAt, originInstanceId);
            repository.add(created);
            changed = true;
        }
        if (changed) {
            outbox.record(ServiceEvents.completed(instanceId, "client_credentials", originInstanceId)
                    .forApp(appId.value()));
            changes.fire(InstallationChanged.of(instanceId));
        }
        return changed;
    }

    /**
     * AppRemoved (section 6): uninstalled and its refresh token destroyed, unless a newer install came first. For an
     * instance with no record the removal is recorded all the same, so that an install Wix sent earlier but delivered
     * later cannot bring it back.
     */
    public boolean recordAppRemoved(InstanceId instanceId, AppId appId, Instant occurredAt) {
        Instant now = Instant.now(clock);
        Optional<Installation> existing = repository.findByInstanceId(instanceId);
        boolean changed;
        if (existing.isPresent() && !existing.get().getAppId().equals(appId.value())) {
            return false;
        } else if (existing.isPresent()) {
            changed = existing.get().uninstall(occurredAt, now);
        } else if (repository.tombstone(instanceId).isPresent()) {
            return false; // removed already, and purged since: its tombstone keeps a late install out
        } else {
            Installation removed = new Installation(instanceId, appId.value(), InstallationMode.CLIENT_CREDENTIALS, now);
            removed.arrivedByWebhook(null, null);
            removed.uninstall(occurredAt, now);
            repository.add(removed);
            changed = true;
        }
        if (changed) {
            outbox.record(ServiceEvents.uninstalled(instanceId).forApp(appId.value()));
            changes.fire(InstallationChanged.of(instanceId));
        }
        return changed;
    }

    /** A plan bought or changed: a token bought after it may carry what the plan grants, so the cached one goes. */
    public boolean recordPaidPlan(InstanceId instanceId, AppId appId, String summary) {
        boolean recorded = repository.findByInstanceId(instanceId).filter(i -> i.getAppId().equals(appId.value()))
                .map(i -> i.recordPaidPlan(summary, Instant.now(clock))).orElse(false);
        if (recorded) {
            changes.fire(InstallationChanged.of(instanceId));
        }
        return recorded;
    }

    public void switchToClientCredentials(InstanceId instanceId) {
        repository.findByInstanceId(instanceId).ifPresent(i -> {
            i.switchToClientCredentials(Instant.now(clock));
            changes.fire(InstallationChanged.of(instanceId));
        });
    }

    public boolean forgetRefreshToken(InstanceId instanceId, String reason) {
        boolean forgotten = repository.findByInstanceId(instanceId)
                .map(i -> i.forgetRefreshToken(reason, Instant.now(clock))).orElse(false);
        if (forgotten) {
            changes.fire(InstallationChanged.of(instanceId));
        }
        return forgotten;
    }

    public void requestReinstall(InstanceId instanceId, String reason) {
        repository.findByInstanceId(instanceId).ifPresent(i -> {
            i.requestReinstall(truncate(reason), Instant.now(clock));
            outbox.record(ServiceEvents.reinstallRequired(instanceId, truncate(reason),
                    settings.appUrl(AppId.of(i.getAppId())).toString()).forApp(i.getAppId()));
            changes.fire(InstallationChanged.of(instanceId));
        });
    }

    /**
     * An import batch's lines, in the batch's transaction: each line's refresh token stored (or Wix's refusal of it
     * recorded) by the rules of {@link Installation#takeImported} and {@link Installation#refuseImported}. The batch's
     * installations are locked with one query; a later line of an instance sees what an earlier one did.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public List<ImportOutcome> importLines(List<ImportDecision> decisions) {
        Instant now = Instant.now(clock);
        Map<String, Installation> known = new HashMap<>();
        List<String> instanceIds = decisions.stream().map(d -> d.line().instanceId().value()).distinct().toList();
        repository.lockAll(instanceIds).forEach(installation -> known.put(installation.getInstanceId(), installation));
        // Purged after an uninstall: a late import does not bring the site back as if it were new.
        Set<String> purged = repository.tombstoned(instanceIds.stream().filter(id -> !known.containsKey(id)).toList());
        List<ImportOutcome> outcomes = new ArrayList<>(decisions.size());
        Set<InstanceId> served = new HashSet<>();
        for (ImportDecision decision : decisions) {
            if (purged.contains(decision.line().instanceId().value())) {
                outcomes.add(ImportOutcome.UNINSTALLED);
                continue;
            }
            ImportOutcome outcome = decision.refusal() == null
                    ? imported(decision.line(), decision.tokenToStore(), known, now)
                    : refused(decision.line(), decision.refusal(), known, now);
            if (outcome == ImportOutcome.CREATED || outcome == ImportOutcome.STORED
                    || outcome == ImportOutcome.REPLACED || outcome == ImportOutcome.REFUSED) {
                served.add(decision.line().instanceId());
            }
            outcomes.add(outcome);
        }
        if (!served.isEmpty()) {
            changes.fire(new InstallationChanged(served));
        }
        return outcomes;
    }

    private String appOf(ImportLine line) {
        return line.appId().orElse(settings.appId().value());
    }

    /** What an import does with one line: store {@code tokenToStore}, or, when Wix refused it, record {@code refusal}. */
    public record ImportDecision(ImportLine line, Secret tokenToStore, String refusal) {
    }

    private ImportOutcome imported(ImportLine line, Secret token, Map<String, Installation> known, Instant now) {
        Installation existing = known.get(line.instanceId().value());
        if (existing == null) {
            Installation created = Installation.imported(line.instanceId(), appOf(line), token,
                    line.installedAt().orElse(null), line.originInstanceId(), line.paidPlan(), now);
            repository.add(created);
            known.put(created.getInstanceId(), created);
            return ImportOutcome.CREATED;
        }
        return existing.takeImported(token, line.replaceExisting(), now);
    }

    /** Wix refused the line's token: nothing of it is stored; an installation that has no token asks for a reinstall. */
    private ImportOutcome refused(ImportLine line, String reason, Map<String, Installation> known, Instant now) {
        InstanceId instanceId = line.instanceId();
        Installation existing = known.get(instanceId.value());
        ImportOutcome outcome;
        if (existing == null) {
            Installation created = Installation.importRefused(instanceId, appOf(line),
                    line.installedAt().orElse(null), line.originInstanceId(), line.paidPlan(), reason, now);
            repository.add(created);
            known.put(created.getInstanceId(), created);
            outcome = ImportOutcome.REFUSED;
        } else {
            outcome = existing.refuseImported(reason, now);
        }
        if (outcome == ImportOutcome.REFUSED) { // the site owner must reinstall: the backend hears of it with the batch
            outbox.record(ServiceEvents.reinstallRequired(instanceId, "Wix refused the imported refresh token: " + reason,
                    settings.appUrl(AppId.of(appOf(line))).toString()).forApp(appOf(line)));
        }
        return outcome;
    }

    /**
     * A key-rotation batch, in the batch's transaction: the refresh tokens of these installations sealed again under the
     * active key. Nothing they are served changes. Returns how many could not be opened (kept as they are).
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public int reseal(List<Installation> batch, String activeKeyId) {
        Instant now = Instant.now(clock);
        int unreadable = 0;
        for (Installation installation : batch) {
            String keyId = installation.refreshTokenKeyId();
            if (keyId == null) {
                unreadable++; // kept as it is, for an operator to look at
            } else if (!keyId.equals(activeKeyId)) {
                installation.reseal(now);
            }
        }
        return unreadable;
    }

    /**
     * A purge batch, in the batch's transaction (retention): installations uninstalled before {@code cutoff}, at most
     * {@code limit}, removed, each leaving a tombstone; what is derived from them (the shared token) goes with them
     * ({@link InstallationChanged}). Returns their instance ids.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public List<String> purgeUninstalled(Instant cutoff, int limit) {
        Instant now = Instant.now(clock);
        List<Installation> gone = repository.lockUninstalledBefore(cutoff, limit);
        Set<InstanceId> purged = new HashSet<>();
        for (Installation installation : gone) {
            purged.add(InstanceId.of(installation.getInstanceId()));
            repository.replaceByTombstone(installation, now);
        }
        if (!purged.isEmpty()) {
            changes.fire(new InstallationChanged(purged));
        }
        return gone.stream().map(Installation::getInstanceId).toList();
    }

    /**
     * A migration batch, in the batch's transaction: each instance Wix issued client credentials for is switched to
     * them, its refresh token kept until {@code keepUntil}. An installation that changed since it was read (uninstalled,
     * fallen back) is left as it is. Returns how many were switched.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public int migrateToClientCredentials(List<InstanceId> confirmed, Instant keepUntil) {
        Instant now = Instant.now(clock);
        Set<InstanceId> switched = new HashSet<>();
        for (Installation installation : repository.lockAll(confirmed.stream().map(InstanceId::value).toList())) {
            if (installation.migrateToClientCredentials(keepUntil, now)) {
                switched.add(installation.instanceId());
            }
        }
        if (!switched.isEmpty()) {
            changes.fire(new InstallationChanged(switched));
        }
        return switched.size();
    }

    /** Within the migration's grace period, back to the refresh token it kept; false when none is kept. */
    public boolean switchBackToRefreshToken(InstanceId instanceId) {
        boolean switched = repository.lockByInstanceId(instanceId)
                .map(i -> i.switchBackToRefreshToken(Instant.now(clock))).orElse(false);
        if (switched) {
            changes.fire(InstallationChanged.of(instanceId));
        }
        return switched;
    }

    /** A purge batch: refresh tokens the migration kept until before {@code cutoff} are forgotten. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public int forgetKeptRefreshTokens(Instant cutoff, int limit) {
        Instant now = Instant.now(clock);
        Set<InstanceId> forgotten = new HashSet<>();
        for (Installation installation : repository.lockKeptRefreshTokensBefore(cutoff, limit)) {
            if (installation.forgetKeptRefreshToken(now)) {
                forgotten.add(installation.instanceId());
            }
        }
        if (!forgotten.isEmpty()) {
            changes.fire(new InstallationChanged(forgotten));
        }
        return forgotten.size();
    }

    /** A purge batch: tombstones kept past {@code cutoff} go; the instance ids may come back as new after that. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public int purgeTombstones(Instant cutoff, int limit) {
        return repository.deleteTombstonesBefore(cutoff, limit);
    }

    private static String truncate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400);
    }
}

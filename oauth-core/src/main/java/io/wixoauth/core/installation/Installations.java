package io.wixoauth.core.installation;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstallationFailed;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.relay.EventOutbox;
import io.wixoauth.core.relay.ServiceEvents;
import io.wixoauth.core.wix.WixSettings;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationMode;
import io.wixoauth.persistence.installation.InstallationRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Optional;

/**
 * Every change to an installation, each in a transaction of its own: a failure in one (the database refusing a
 * refresh token, say) must not take the fallback that follows down with it. The event a backend hears of it is
 * written in the same transaction ({@link EventOutbox}).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class Installations {

    @Inject
    InstallationRepository repository;

    @Inject
    WixSettings settings;

    @Inject
    EventOutbox outbox;

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<Installation> find(InstanceId instanceId) {
        return repository.findByInstanceId(instanceId);
    }

    /** The critical step of the handshake (protocol section 2, step 5): commit the refresh token, or throw. */
    public void recordInstall(InstanceId instanceId, Secret refreshToken) {
        Instant now = Instant.now();
        Installation installation = repository.lockByInstanceId(instanceId).orElseGet(() -> {
            Installation created = new Installation(instanceId, settings.appId().value(), InstallationMode.REFRESH_TOKEN, now);
            repository.add(created);
            return created;
        });
        installation.completeInstall(refreshToken, now);
        repository.flush();
        outbox.record(ServiceEvents.completed(instanceId, "refresh_token", null));
    }

    /**
     * Written before the install callback exchanges its code, for an instance with no record yet: if the process dies
     * before the install is recorded, operations find an interrupted install served by client credentials, never
     * nothing. Recording the install (or its fallback) replaces it. Returns whether a record was created.
     */
    public boolean recordInstallStarted(InstanceId instanceId, String reference) {
        if (repository.findByInstanceId(instanceId).isPresent()) {
            return false; // an existing record is already visible, and stays as it is until the install completes
        }
        Instant now = Instant.now();
        Installation started = new Installation(instanceId, settings.appId().value(),
                InstallationMode.CLIENT_CREDENTIALS_FALLBACK, now);
        started.fallBackToClientCredentials(Installation.INSTALL_INTERRUPTED + ": the service stopped during the "
                + "install callback at " + now + " (reference " + reference + ")", now);
        repository.add(started);
        repository.flush();
        return true;
    }

    /** Wix refused the code, so there was no install: take back what {@link #recordInstallStarted} wrote. */
    public void abandonInstallStarted(InstanceId instanceId) {
        repository.findByInstanceId(instanceId).filter(Installation::isInterruptedInstall).ifPresent(repository::remove);
    }

    /** Serve the instance with client credentials from now on, keeping any stored ciphertext as evidence. */
    public void recordFallback(InstallationFailed failure) {
        Instant now = Instant.now();
        String reason = failure.reason() + " at " + failure.at() + " (reference " + failure.requestReference() + ")";
        Installation installation = repository.lockByInstanceId(failure.instanceId()).orElseGet(() -> {
            Installation created = new Installation(failure.instanceId(), settings.appId().value(),
                    InstallationMode.CLIENT_CREDENTIALS_FALLBACK, now);
            repository.add(created);
            return created;
        });
        if (failure.reason() == InstallationFailed.Reason.REFRESH_TOKEN_REJECTED) {
            installation.rejectRefreshToken(reason, now);
            outbox.record(ServiceEvents.refreshTokenRefused(failure.instanceId(), reason));
        } else {
            installation.fallBackToClientCredentials(reason, now);
            outbox.record(ServiceEvents.fallenBack(failure.instanceId(), reason));
        }
    }

    public void recordFallbackOutcome(InstanceId instanceId, String outcome) {
        repository.lockByInstanceId(instanceId).ifPresent(i -> i.fallBackToClientCredentials(
                truncate(i.getFailureReason() + "; " + outcome), Instant.now()));
    }

    /** Store whatever refresh token a refresh returned (Wix does not rotate today, section 4); never an empty one. */
    public void recordReturnedRefreshToken(InstanceId instanceId, Secret refreshToken) {
        repository.findByInstanceId(instanceId).ifPresent(i -> i.replaceRefreshToken(refreshToken, Instant.now()));
    }

    /**
     * AppInstalled (section 6): a new instance, a cloned site ({@code originInstanceId}: no consent flow, so no refresh
     * token) or a reinstall after a removal, all on client credentials by design. A duplicate changes nothing.
     */
    public boolean recordAppInstalled(InstanceId instanceId, Instant occurredAt, String originInstanceId) {
        Instant now = Instant.now();
        Optional<Installation> existing = repository.findByInstanceId(instanceId);
        boolean changed;
        if (existing.isPresent()) {
            changed = existing.get().reinstallByWebhook(occurredAt, originInstanceId, now);
        } else {
            Installation created = new Installation(instanceId, settings.appId().value(), InstallationMode.CLIENT_CREDENTIALS, now);
            created.arrivedByWebhook(occurredAt, originInstanceId);
            repository.add(created);
            changed = true;
        }
        if (changed) {
            outbox.record(ServiceEvents.completed(instanceId, "client_credentials", originInstanceId));
        }
        return changed;
    }

    /**
     * AppRemoved (section 6): uninstalled and its refresh token destroyed, unless a newer install came first. For an
     * instance with no record the removal is recorded all the same, so that an install Wix sent earlier but delivered
     * later cannot bring it back.
     */
    public boolean recordAppRemoved(InstanceId instanceId, Instant occurredAt) {
        Instant now = Instant.now();
        Optional<Installation> existing = repository.findByInstanceId(instanceId);
        boolean changed;
        if (existing.isPresent()) {
            changed = existing.get().uninstall(occurredAt, now);
        } else {
            Installation removed = new Installation(instanceId, settings.appId().value(), InstallationMode.CLIENT_CREDENTIALS, now);
            removed.arrivedByWebhook(null, null);
            removed.uninstall(occurredAt, now);
            repository.add(removed);
            changed = true;
        }
        if (changed) {
            outbox.record(ServiceEvents.uninstalled(instanceId));
        }
        return changed;
    }

    public boolean recordPaidPlan(InstanceId instanceId, String summary) {
        return repository.findByInstanceId(instanceId).map(i -> i.recordPaidPlan(summary, Instant.now())).orElse(false);
    }

    public void switchToClientCredentials(InstanceId instanceId) {
        repository.findByInstanceId(instanceId).ifPresent(i -> i.switchToClientCredentials(Instant.now()));
    }

    public boolean forgetRefreshToken(InstanceId instanceId, String reason) {
        return repository.findByInstanceId(instanceId).map(i -> i.forgetRefreshToken(reason, Instant.now())).orElse(false);
    }

    public void requestReinstall(InstanceId instanceId, String reason) {
        repository.findByInstanceId(instanceId).ifPresent(i -> {
            i.requestReinstall(truncate(reason), Instant.now());
            outbox.record(ServiceEvents.reinstallRequired(instanceId, truncate(reason), settings.appUrl().toString()));
        });
    }

    private static String truncate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400);
    }
}

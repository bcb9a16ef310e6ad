package io.wixoauth.core.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.error.AppRequiredException;
import io.wixoauth.api.error.InstallationGoneException;
import io.wixoauth.api.error.UnknownInstanceException;
import io.wixoauth.api.error.UpstreamRejectedException;
import io.wixoauth.api.error.UpstreamUnavailableException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstallationFailed;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.api.token.TokenSource;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.relay.EventOutbox;
import io.wixoauth.core.relay.ServiceEvents;
import io.wixoauth.core.wix.Apps;
import io.wixoauth.core.wix.LoadShedException;
import io.wixoauth.core.wix.WixBackoff;
import io.wixoauth.core.wix.WixGrant;
import io.wixoauth.core.wix.WixOAuthClient;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationMode;
import io.wixoauth.persistence.installation.InstallationState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * One fetch of an instance's token from Wix, by the installation's strategy: its stored refresh token (advanced OAuth,
 * protocol section 4), client credentials (section 1), or client credentials for an instance with no record. A refresh
 * token Wix refuses or this service cannot read falls back to client credentials, never failing the caller. An
 * instance whose fetches fail backs off ({@link WixBackoff}), so a failing instance cannot make its callers hammer Wix.
 */
@ApplicationScoped
class TokenFetch {

    private static final Logger LOG = Logs.of(TokenFetch.class);

    @Inject
    Clock clock;

    @Inject
    Installations installations;

    @Inject
    WixOAuthClient wix;

    @Inject
    Apps apps;

    @Inject
    ClientCredentialsFallback fallback;

    @Inject
    WixBackoff backoff;

    @Inject
    EventOutbox outbox;

    @Inject
    ServiceMetrics metrics;

    /**
     * Runs once per instance per expiry, however many callers wait for it, and not while the instance backs off.
     * {@code requested} is the app the caller named, or null: an installation of another app is not its.
     */
    IssuedAccessToken fetch(InstanceId instanceId, AppId requested) {
        backoff.checkTurn(instanceId);
        try {
            IssuedAccessToken token = byStrategy(instanceId, requested);
            backoff.succeeded(instanceId);
            return token;
        } catch (LoadShedException e) {
            throw e; // Wix as a whole is down or this node is busy: no reason to hold this instance back
        } catch (UpstreamUnavailableException e) {
            // The caller learns exactly when the next call to Wix may happen for this instance.
            throw new UpstreamUnavailableException(e.getMessage(), backoff.failed(instanceId, e.retryAfter()));
        }
    }

    private IssuedAccessToken byStrategy(InstanceId instanceId, AppId requested) {
        Optional<Installation> installation = installations.find(instanceId);
        if (installation.isEmpty()) {
            return unrecorded(instanceId, requested);
        }
        if (requested != null && !installation.get().getAppId().equals(requested.value())) {
            throw notOf(requested, instanceId);
        }
        if (installation.get().getState() == InstallationState.UNINSTALLED) {
            throw new InstallationGoneException("The app was uninstalled from instance " + instanceId + ".");
        }
        if (installation.get().getMode() == InstallationMode.REFRESH_TOKEN) {
            return refreshed(installation.get());
        }
        try {
            IssuedAccessToken token = fallback.clientCredentials(appOf(installation.get()), instanceId);
            if (!installation.get().isConfirmed()) {
                installations.confirmFallback(instanceId); // Wix issued it: the app is installed there
            }
            return token;
        } catch (UpstreamRejectedException e) {
            reportFailing(installation.get(), e);
            throw e;
        }
    }

    /** Advanced OAuth (protocol section 4). A refused or unreadable refresh token falls back, never fails the caller. */
    private IssuedAccessToken refreshed(Installation installation) {
        InstanceId instanceId = installation.instanceId();
        Optional<Secret> refreshToken = installation.refreshToken();
        if (refreshToken.isEmpty()) {
            LOG.warning(() -> "Refresh token of instance " + instanceId + " unusable: " + installation.refreshTokenProblem());
            return fallBack(installation, InstallationFailed.Reason.REFRESH_TOKEN_UNREADABLE);
        }
        Instant requestedAt = Instant.now(clock);
        WixGrant grant;
        try {
            grant = wix.refresh(appOf(installation), instanceId, refreshToken.get());
        } catch (UpstreamRejectedException e) {
            metrics.refresh(installation.getAppId(), "rejected");
            return fallBack(installation, InstallationFailed.Reason.REFRESH_TOKEN_REJECTED);
        } catch (RuntimeException e) {
            metrics.refresh(installation.getAppId(), "failed");
            throw e;
        }
        metrics.refresh(installation.getAppId(), "ok");
        // Wix does not rotate refresh tokens today (section 4): only a different one costs a write.
        grant.refreshToken().filter(returned -> !returned.equals(refreshToken.get()))
                .ifPresent(returned -> installations.recordReturnedRefreshToken(instanceId, returned));
        return new IssuedAccessToken(instanceId, appOf(installation), grant.accessToken(),
                requestedAt.plus(grant.expiresIn()),
                TokenSource.REFRESH_TOKEN);
    }

    /** The fallback's own client-credentials token is the one served: one call to Wix. */
    private IssuedAccessToken fallBack(Installation installation, InstallationFailed.Reason reason) {
        return fallback.fallBack(new InstallationFailed(installation.instanceId(), appOf(installation), reason,
                Instant.now(clock), "token-api-" + UUID.randomUUID()));
    }

    private static AppId appOf(Installation installation) {
        return AppId.of(installation.getAppId());
    }

    /**
     * An instance with no record (installed before this service ran, or its webhook not yet arrived) is served by
     * basic OAuth; if Wix says the app is not installed there, it is unknown (404).
     */
    private IssuedAccessToken unrecorded(InstanceId instanceId, AppId requested) {
        AppId app = requested != null ? requested : apps.soleApp().orElseThrow(() -> new AppRequiredException(
                "This deployment serves several apps and has no record of instance " + instanceId + ": name the app, "
                        + "/api/v1/apps/{appId}/instances/" + instanceId + "/access-token."));
        try {
            return fallback.clientCredentials(app, instanceId);
        } catch (UpstreamRejectedException e) {
            if (e.upstreamStatus() == 400 || e.upstreamStatus() == 404) {
                throw new UnknownInstanceException("The app is not installed on instance " + instanceId + ".");
            }
            throw e;
        }
    }

    static UnknownInstanceException notOf(AppId app, InstanceId instanceId) {
        return new UnknownInstanceException("Instance " + instanceId + " is not an installation of app " + app + ".");
    }

    /** Installed here, refused by Wix: the backends must hear of it, not only the caller that met it. */
    private void reportFailing(Installation installation, UpstreamRejectedException refusal) {
        InstanceId instanceId = installation.instanceId();
        try {
            outbox.recordAlone(ServiceEvents.tokenFailing(instanceId, refusal.getMessage(), Instant.now(clock))
                    .forApp(installation.getAppId()));
        } catch (RuntimeException e) {
            LOG.warning(() -> "Could not report the refused tokens of instance " + instanceId + ": " + e);
        }
    }
}

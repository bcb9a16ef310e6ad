package io.wixoauth.core.token;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.error.UpstreamRejectedException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstallationFailed;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.api.token.TokenSource;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.wix.WixOAuthClient;
import io.wixoauth.core.wix.WixToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * When an install or a stored refresh token fails, the instance is still installed on Wix: record it as served by
 * client credentials, ask Wix for one such token (protocol section 1) and record whether it came. The handshake
 * announces a failed install with the {@link InstallationFailed} event; the token path calls {@link #fallBack} itself
 * and serves the very token that verified the fallback, so a refused refresh token costs one call to Wix, not two.
 */
@ApplicationScoped
public class ClientCredentialsFallback {

    private static final Logger LOG = Logs.of(ClientCredentialsFallback.class);

    @Inject
    Clock clock;

    @Inject
    Installations installations;

    @Inject
    WixOAuthClient wix;

    @Inject
    Audit audit;

    @Inject
    ServiceMetrics metrics;

    void onInstallationFailed(@Observes InstallationFailed failure) {
        try {
            fallBack(failure);
        } catch (ServiceException e) {
            // recorded and audited: the instance is served by client credentials once Wix issues them
        }
    }

    /**
     * Records the fallback and returns the client-credentials token Wix issued for it; Wix's refusal or outage is
     * recorded on the installation, audited, and thrown. For an installation only a browser vouched for, Wix issuing
     * the token is what confirms it (Wix grants client credentials only where the app is installed, protocol
     * section 1): until then nothing is announced or audited, and Wix refusing them takes the claim back.
     */
    IssuedAccessToken fallBack(InstallationFailed failure) {
        InstanceId instanceId = failure.instanceId();
        LOG.warning(() -> "Installation " + instanceId + " failed (" + failure.reason() + ", reference "
                + failure.requestReference() + "); falling back to client credentials");
        boolean confirmed = installations.recordFallback(failure);
        metrics.fallback(failure.appId().value(), failure.reason().name().toLowerCase(java.util.Locale.ROOT));
        try {
            IssuedAccessToken token = clientCredentials(failure.appId(), instanceId);
            if (!confirmed) {
                installations.confirmFallback(instanceId);
            }
            conclude(failure, "client credentials verified");
            return token;
        } catch (UpstreamRejectedException e) {
            if (!confirmed) {
                installations.abandonUnconfirmed(instanceId);
                throw e;
            }
            conclude(failure, notAvailable(e));
            throw e;
        } catch (ServiceException e) {
            if (confirmed) {
                conclude(failure, notAvailable(e));
            } else {
                installations.recordFallbackOutcome(instanceId, notAvailable(e) + "; kept until Wix confirms the "
                        + "instance or the install's state expires");
            }
            throw e;
        }
    }

    /** Asks Wix for a client-credentials token for the instance, and records on the installation whether it came. */
    public String verify(AppId appId, InstanceId instanceId) {
        String outcome;
        try {
            wix.createAccessToken(appId, instanceId);
            outcome = "client credentials verified";
        } catch (ServiceException e) {
            outcome = notAvailable(e);
        }
        installations.recordFallbackOutcome(instanceId, outcome);
        return outcome;
    }

    /** Basic OAuth (protocol section 1), called directly: the token path may be in the middle of serving this instance. */
    IssuedAccessToken clientCredentials(AppId appId, InstanceId instanceId) {
        Instant requestedAt = Instant.now(clock);
        WixToken token = wix.createAccessToken(appId, instanceId);
        // Measured from before the call, so the cached expiry is never later than Wix's.
        return new IssuedAccessToken(instanceId, appId, token.accessToken(), requestedAt.plus(token.expiresIn()),
                TokenSource.CLIENT_CREDENTIALS);
    }

    private void conclude(InstallationFailed failure, String outcome) {
        installations.recordFallbackOutcome(failure.instanceId(), outcome);
        audit.quietly(AuditEvent.of("install.fallback", "service", failure.instanceId().value(), outcome)
                .withReason(failure.reason().name()).withRequestId(failure.requestReference())
                .withApp(failure.appId().value()));
        LOG.warning(() -> "Installation " + failure.instanceId() + " now on client credentials: " + outcome);
    }

    private static String notAvailable(ServiceException e) {
        return "client credentials not available yet (" + e.errorCode() + ")";
    }
}

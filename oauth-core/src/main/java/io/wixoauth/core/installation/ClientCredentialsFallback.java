package io.wixoauth.core.installation;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.installation.InstallationFailed;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.wix.WixOAuthClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.logging.Logger;

/**
 * When an install or a stored refresh token fails, the instance is still installed on Wix: record it as served by
 * client credentials, check that Wix really issues one for it (protocol section 1), and record the outcome.
 * The check calls Wix directly, not through the token cache, which may be in the middle of serving this instance.
 */
@ApplicationScoped
public class ClientCredentialsFallback {

    private static final Logger LOG = Logs.of(ClientCredentialsFallback.class);

    @Inject
    Installations installations;

    @Inject
    WixOAuthClient wix;

    @Inject
    Audit audit;

    @Inject
    ServiceMetrics metrics;

    void onInstallationFailed(@Observes InstallationFailed failure) {
        LOG.warning(() -> "Installation " + failure.instanceId() + " failed (" + failure.reason() + ", reference "
                + failure.requestReference() + "); falling back to client credentials");
        installations.recordFallback(failure);
        metrics.fallback(failure.reason().name().toLowerCase(java.util.Locale.ROOT));
        String outcome = verify(failure.instanceId());
        audit.quietly(AuditEvent.of("install.fallback", "service", failure.instanceId().value(), outcome)
                .withReason(failure.reason().name()).withRequestId(failure.requestReference()));
        LOG.warning(() -> "Installation " + failure.instanceId() + " now on client credentials: " + outcome);
    }

    /** Asks Wix for a client-credentials token for the instance, and records on the installation whether it came. */
    public String verify(InstanceId instanceId) {
        String outcome;
        try {
            wix.createAccessToken(instanceId);
            outcome = "client credentials verified";
        } catch (ServiceException e) {
            outcome = "client credentials not available yet (" + e.errorCode() + ")";
        }
        installations.recordFallbackOutcome(instanceId, outcome);
        return outcome;
    }
}

package io.wixoauth.core.installation;

import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.installation.InstallationFailed;
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

    private static final Logger LOG = Logger.getLogger(ClientCredentialsFallback.class.getName());

    @Inject
    Installations installations;

    @Inject
    WixOAuthClient wix;

    void onInstallationFailed(@Observes InstallationFailed failure) {
        LOG.warning(() -> "Installation " + failure.instanceId() + " failed (" + failure.reason() + ", reference "
                + failure.requestReference() + "); falling back to client credentials");
        installations.recordFallback(failure);
        String outcome;
        try {
            wix.createAccessToken(failure.instanceId());
            outcome = "client credentials verified";
        } catch (ServiceException e) {
            outcome = "client credentials not available yet (" + e.errorCode() + ")";
        }
        installations.recordFallbackOutcome(failure.instanceId(), outcome);
        String result = outcome;
        LOG.warning(() -> "Installation " + failure.instanceId() + " now on client credentials: " + result);
    }
}

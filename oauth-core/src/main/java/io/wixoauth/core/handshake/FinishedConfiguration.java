package io.wixoauth.core.handshake;

import io.wixoauth.api.Secret;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.wix.WixOAuthClient;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.util.logging.Logger;

/**
 * Sends APP_FINISHED_CONFIGURATION after an install so the instance leaves "Setup Incomplete" (protocol section 2,
 * step 7). Asynchronous: the site owner's browser does not wait for it, and its failure does not fail the install.
 */
@Stateless
public class FinishedConfiguration {

    private static final Logger LOG = Logs.of(FinishedConfiguration.class);

    @Inject
    WixOAuthClient wix;

    @Asynchronous
    public void announce(InstanceId instanceId, Secret accessToken) {
        try {
            wix.sendBiEvent(instanceId, accessToken, "APP_FINISHED_CONFIGURATION");
        } catch (ServiceException e) {
            LOG.warning(() -> "APP_FINISHED_CONFIGURATION for instance " + instanceId + " not sent: " + e.getMessage());
        }
    }
}

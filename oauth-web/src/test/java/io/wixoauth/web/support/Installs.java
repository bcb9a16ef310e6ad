package io.wixoauth.web.support;

import java.net.URI;

/** Completes installs through the real handshake, as test set-up. */
public final class Installs {

    private Installs() {
    }

    /** A new instance installed with advanced OAuth: the service holds its refresh token. */
    public static String withRefreshToken(ServiceEnvironment env) {
        String instanceId = env.wix().installApp();
        Browser browser = new Browser();
        URI consent = Browser.location(browser.get(env.service().resolve("oauth/install?token="
                + env.wix().newInstallToken(instanceId))));
        URI callback = Browser.location(browser.approve(consent));
        int status = browser.get(callback).statusCode();
        if (status != 302) {
            throw new AssertionError("install of " + instanceId + " answered " + status);
        }
        return instanceId;
    }
}

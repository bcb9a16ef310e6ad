package io.wixoauth.web.support;

import java.net.URI;

/** Completes installs through the real handshake, as test set-up. */
public final class Installs {

    private Installs() {
    }

    /** A new instance installed with advanced OAuth: the service holds its refresh token. */
    public static String withRefreshToken(ServiceEnvironment env) {
        String instanceId = env.wix().installApp();
        int status = attempt(env, instanceId);
        if (status != 302) {
            throw new AssertionError("install of " + instanceId + " answered " + status);
        }
        return instanceId;
    }

    /** A site owner installs {@code instanceId} (installed at Wix already) through the handshake; the callback's status. */
    public static int attempt(ServiceEnvironment env, String instanceId) {
        Browser browser = new Browser();
        URI consent = Browser.location(browser.get(env.service().resolve("oauth/install?token="
                + env.wix().newInstallToken(instanceId))));
        URI callback = Browser.location(browser.approve(consent));
        return browser.get(callback).statusCode();
    }
}

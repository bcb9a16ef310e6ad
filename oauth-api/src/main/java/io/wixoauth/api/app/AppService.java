package io.wixoauth.api.app;

import io.wixoauth.api.Secret;

import java.util.List;

/** The apps this deployment serves; every change is audited with its actor and reason. */
public interface AppService {

    /** The default app first, then the others in the order they were added. */
    List<AppView> apps();

    AppView app(String appId);

    AppView add(AppRequest request, String actor, String requestId);

    /** Refused while the app has installations that are not uninstalled; the default app cannot be removed. */
    void remove(String appId, String reason, String actor, String requestId);

    /** The app's new secret, used by every node within seconds; tokens already issued are served until they expire. */
    AppView changeSecret(String appId, Secret secret, String reason, String actor, String requestId);

    /** Custom authentication on or off for the app, on every node within seconds (its install link, its callback). */
    AppView changeHandshake(String appId, HandshakeChange change, String actor, String requestId);
}

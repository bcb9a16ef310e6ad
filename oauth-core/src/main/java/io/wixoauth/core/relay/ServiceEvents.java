package io.wixoauth.core.relay;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.installation.InstanceId;

/**
 * This service's own events, named {@code installation.*} and {@code app.*}: what a backend provisions and alerts by.
 * Wix's webhooks are relayed beside them as {@code wix.<eventType>}.
 */
public final class ServiceEvents {

    public static final String COMPLETED = "installation.completed";
    public static final String FALLEN_BACK = "installation.fallen_back";
    public static final String REFRESH_TOKEN_REFUSED = "installation.refresh_token_refused";
    public static final String REINSTALL_REQUIRED = "installation.reinstall_required";
    public static final String UNINSTALLED = "installation.uninstalled";
    public static final String TOKEN_FAILING = "installation.token_failing";
    public static final String SECRET_REFUSED = "app.secret_refused";

    private ServiceEvents() {
    }

    /** Installed: {@code mode} refresh_token (the handshake stored one) or client_credentials (by design). */
    public static RelayEvent completed(InstanceId instanceId, String mode, String originInstanceId) {
        var data = Jsonp.object().add("mode", mode);
        if (originInstanceId != null) {
            data.add("originInstanceId", originInstanceId);
        }
        return RelayEvent.of(COMPLETED, instanceId.value(), data.build());
    }

    /** The install could not store a refresh token: served by client credentials from now on. */
    public static RelayEvent fallenBack(InstanceId instanceId, String reason) {
        return RelayEvent.of(FALLEN_BACK, instanceId.value(), Jsonp.object().add("reason", reason).build());
    }

    /** Wix refused the stored refresh token: client credentials serve the instance meanwhile. */
    public static RelayEvent refreshTokenRefused(InstanceId instanceId, String reason) {
        return RelayEvent.of(REFRESH_TOKEN_REFUSED, instanceId.value(), Jsonp.object().add("reason", reason).build());
    }

    /** Only the site owner can mend this installation, by following {@code reinstallUrl} (the App URL). */
    public static RelayEvent reinstallRequired(InstanceId instanceId, String reason, String reinstallUrl) {
        var data = Jsonp.object().add("reason", reason);
        if (reinstallUrl != null) {
            data.add("reinstallUrl", reinstallUrl);
        }
        return RelayEvent.of(REINSTALL_REQUIRED, instanceId.value(), data.build());
    }

    /**
     * Wix refuses an app's secret ({@code invalid_client}): no token of the app can be issued until an operator sets
     * the new one. Reported at most once a minute per app and secret, by each node that meets it.
     */
    public static RelayEvent secretRefused(String appId, String secretFingerprint, java.time.Instant now) {
        long minute = now.getEpochSecond() / 60;
        return RelayEvent.once(SECRET_REFUSED + ":" + appId + ":" + secretFingerprint + ":" + minute, SECRET_REFUSED,
                null, Jsonp.object().add("appId", appId).add("secretFingerprint", secretFingerprint).build());
    }

    /**
     * Wix refuses to issue tokens for an installation this service holds as installed (the app's removal missed, its
     * permissions withdrawn): backends calling Wix for it will fail until someone acts. Reported at most once an hour
     * per installation, however many callers meet the refusal.
     */
    public static RelayEvent tokenFailing(InstanceId instanceId, String reason, java.time.Instant now) {
        long hour = now.getEpochSecond() / 3600;
        return RelayEvent.once(TOKEN_FAILING + ":" + instanceId.value() + ":" + hour, TOKEN_FAILING, instanceId.value(),
                Jsonp.object().add("reason", reason).build());
    }

    public static RelayEvent uninstalled(InstanceId instanceId) {
        return RelayEvent.of(UNINSTALLED, instanceId.value(), Jsonp.object().build());
    }
}

package io.wixoauth.core.wix;

import io.wixoauth.api.error.AppSecretRefusedException;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.relay.EventOutbox;
import io.wixoauth.core.relay.ServiceEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Logger;

/**
 * Wix refusing an app's own credentials ({@code invalid_client}; protocol section 12: a regenerated secret replaces
 * the old one at once) says nothing about the instance the call was for, so no installation is switched, marked or
 * failed for it. Operations hear of it instead, within a minute: a counter
 * ({@code oauth_wix_client_refused_total{app}}), a log line and an {@code app.secret_refused} event once per
 * {@link #REPORT_EVERY} and secret, and the app's view. The same credentials are not sent again for {@link #HOLD}: a
 * busy site's callers would otherwise each meet the same refusal at Wix.
 */
@ApplicationScoped
public class SecretRefusals {

    static final Duration HOLD = Duration.ofSeconds(5);
    static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = Logs.of(SecretRefusals.class);

    @Inject
    Clock clock;

    @Inject
    ServiceMetrics metrics;

    @Inject
    EventOutbox outbox;

    private final ConcurrentMap<String, Refusal> latest = new ConcurrentHashMap<>();

    /** The latest refusal of an app's secret, by the secret's fingerprint, and when it was last reported. */
    private record Refusal(String fingerprint, Instant at, Instant reportedAt) {
    }

    /** Refuses at once what Wix refused moments ago: asking again with the same secret would be refused too. */
    public void checkNotRefused(AppCredentials app) {
        Refusal refusal = latest.get(app.appId().value());
        if (refusal != null && refusal.fingerprint().equals(app.secret().fingerprint())
                && Instant.now(clock).isBefore(refusal.at().plus(HOLD))) {
            metrics.clientRefused(app.appId().value());
            throw failure(app);
        }
    }

    /** Wix refused the app's credentials: counted, reported once per interval, and returned to throw. */
    public AppSecretRefusedException refused(AppCredentials app) {
        String appId = app.appId().value();
        String fingerprint = app.secret().fingerprint();
        Instant now = Instant.now(clock);
        metrics.clientRefused(appId);
        Refusal before = latest.get(appId);
        boolean report = before == null || !before.fingerprint().equals(fingerprint)
                || !now.isBefore(before.reportedAt().plus(REPORT_EVERY));
        latest.put(appId, new Refusal(fingerprint, now, report ? now : before.reportedAt()));
        if (report) {
            report(appId, fingerprint, now);
        }
        return failure(app);
    }

    /** When Wix last refused the secret now in force for the app, if it did since this node started. */
    public Optional<Instant> lastRefused(AppCredentials app) {
        return Optional.ofNullable(latest.get(app.appId().value()))
                .filter(refusal -> refusal.fingerprint().equals(app.secret().fingerprint()))
                .map(Refusal::at);
    }

    private void report(String appId, String fingerprint, Instant now) {
        LOG.warning(() -> "Wix refused the secret of app " + appId + " (sha256:" + fingerprint + ", invalid_client): "
                + "no token of this app can be issued until its secret is set with PUT /api/admin/apps/" + appId
                + "/secret. Installations are left as they are.");
        try {
            outbox.recordAlone(ServiceEvents.secretRefused(appId, fingerprint, now));
        } catch (RuntimeException e) {
            LOG.warning(() -> "Could not report the refused secret of app " + appId + ": " + e);
        }
    }

    private static AppSecretRefusedException failure(AppCredentials app) {
        return new AppSecretRefusedException("Wix refused the credentials of app " + app.appId() + " (invalid_client): "
                + "its secret was changed in Wix's dashboard and not here yet. Nothing about the instance changed; "
                + "an operator sets the app's new secret and the request then succeeds.");
    }
}

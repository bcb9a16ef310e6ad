package io.wixoauth.core.handshake;

import io.wixoauth.api.Secret;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.error.CodeRefusedException;
import io.wixoauth.api.error.InvalidCallbackException;
import io.wixoauth.api.error.InvalidIdentifierException;
import io.wixoauth.api.error.InstanceNotConfirmedException;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.error.AppSecretRefusedException;
import io.wixoauth.api.error.NoHandshakeException;
import io.wixoauth.api.error.UnknownAppException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.error.UpstreamRejectedException;
import io.wixoauth.api.error.UpstreamUnavailableException;
import io.wixoauth.api.handshake.CallbackOutcome;
import io.wixoauth.api.handshake.CallbackRequest;
import io.wixoauth.api.handshake.HandshakeService;
import io.wixoauth.api.handshake.InstallRedirect;
import io.wixoauth.api.installation.InstallationFailed;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.audit.Refusals;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.platform.DatabaseOutage;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.platform.WriteConflict;
import io.wixoauth.core.wix.TokenInfo;
import io.wixoauth.core.wix.WixGrant;
import io.wixoauth.core.wix.Apps;
import io.wixoauth.core.wix.WixOAuthClient;
import io.wixoauth.persistence.app.StoredApp;
import io.wixoauth.core.wix.WixSettings;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The handshake's steps, each committed on its own: the state is used up before Wix is called, and the refresh token
 * is stored in a transaction that, if it fails, leaves the way clear for the fallback.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DefaultHandshakeService implements HandshakeService {

    private static final Logger LOG = Logs.of(DefaultHandshakeService.class);
    private static final Pattern WELL_FORMED_CODE = Pattern.compile("[A-Za-z0-9._~+/=-]{1,2048}");
    private static final int STORE_ATTEMPTS = 5;
    private static final Pattern WELL_FORMED_TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{1,4096}");

    @Inject
    Clock clock;

    @Inject
    PendingInstalls pendingInstalls;

    @Inject
    WixSettings settings;

    @Inject
    HandshakeStates states;

    @Inject
    WixOAuthClient wix;

    @Inject
    Apps apps;

    @Inject
    Installations installations;


    @Inject
    AccessTokenService tokens;

    @Inject
    FinishedConfiguration finishedConfiguration;

    @Inject
    Event<InstallationFailed> failures;

    @Inject
    Audit audit;

    @Inject
    Refusals refusals;

    @Inject
    ServiceMetrics metrics;

    @Override
    public InstallRedirect startInstall(String appId, Optional<String> wixToken) {
        AppId app = app(appId);
        String redirectUrl = redirectUrlOf(app);
        if (wixToken.isPresent() && !WELL_FORMED_TOKEN.matcher(wixToken.get()).matches()) {
            // Refused before a state is issued: a garbled token changes nothing and never reaches Wix.
            throw new InvalidRequestException("The install link's token is malformed; open the app again from Wix.");
        }
        Secret state = states.issue();
        StringBuilder url = new StringBuilder(settings.wwwBaseUrl() + "/installer/install?");
        wixToken.ifPresent(t -> url.append("token=").append(encode(t)).append('&'));
        url.append("appId=").append(encode(app.value()))
                .append("&redirectUrl=").append(encode(redirectUrl))
                .append("&state=").append(encode(state.reveal()));
        return new InstallRedirect(URI.create(url.toString()), state, HandshakeStates.LIFETIME);
    }

    /**
     * A completed install leaves an audit entry under the reference the site owner was shown. So does a callback whose
     * code Wix confirmed for another instance (it took a real install to make, and names the instance it aimed at).
     * Every other refusal can be made by anyone, as often as they like: it is counted and summed up per interval.
     */
    @Override
    public CallbackOutcome completeInstall(CallbackRequest request) {
        try {
            CallbackOutcome outcome = handleCallback(request);
            metrics.installCompleted(app(request.appId()).value(), outcome.fellBack());
            audit.quietly(AuditEvent.of("install.completed", "site-owner", outcome.instanceId().value(),
                    outcome.fellBack() ? "client credentials fallback" : "refresh token stored")
                    .withRequestId(request.reference()).withApp(app(request.appId()).value()));
            return outcome;
        } catch (InstanceNotConfirmedException e) {
            metrics.installRefused(app(request.appId()).value());
            audit.quietly(AuditEvent.of("install.refused", "site-owner", wellFormedOrNull(request.instanceId()),
                    e.errorCode()).withReason(e.getMessage()).withRequestId(request.reference())
                    .withApp(app(request.appId()).value()));
            LOG.warning(() -> "Install callback refused (reference " + request.reference() + "): " + e.getMessage());
            throw e;
        } catch (ServiceException e) {
            metrics.installRefused(apps.metricTag(request.appId() == null ? apps.defaultAppId().value() : request.appId()));
            refusals.refused("install.refused", e.errorCode(), () -> "Install callback refused (reference "
                    + request.reference() + ", " + e.errorCode() + "): " + e.getMessage());
            throw e;
        }
    }

    /**
     * The callback's parameters came through the site owner's browser (protocol section 2, step 4): the instance it
     * names is only a claim until Token Info on the exchanged access token confirms it. Before that, nothing that
     * exists is changed; a record is written only for an instance with none, and taken back if Wix does not confirm.
     */
    private CallbackOutcome handleCallback(CallbackRequest request) {
        AppId app = app(request.appId());
        redirectUrlOf(app);
        Instant stateExpiry = states.check(request.state(), request.cookieState());
        InstanceId claimed = instanceId(request.instanceId());
        String code = code(request.code());
        states.use(request.state(), stateExpiry); // only a well-formed callback from the right browser costs a row

        boolean started = recordInstallStarted(claimed, app, request.reference(), stateExpiry);
        Optional<WixGrant> grant = exchange(app, claimed, code, started);
        if (grant.isEmpty() || !confirmed(app, claimed, grant.get(), started)) {
            return unconfirmedFallBack(app, claimed, started, request.reference());
        }
        if (grant.get().refreshToken().isEmpty()) {
            return fallBack(app, claimed, InstallationFailed.Reason.CODE_EXCHANGE_FAILED, request.reference());
        }
        if (!stored(app, claimed, grant.get().refreshToken().get(), request.reference())) {
            return fallBack(app, claimed, InstallationFailed.Reason.STORAGE_FAILED, request.reference());
        }
        if (settings.biEventEnabled()) {
            finishedConfiguration.announce(claimed, grant.get().accessToken());
        }
        LOG.info(() -> "Installed on instance " + claimed + " with a stored refresh token (reference "
                + request.reference() + ")");
        return new CallbackOutcome(claimed, closeWindow(grant.get().accessToken()), false);
    }

    /**
     * Written before the code exchange for an instance with no record yet, so a crash leaves an interrupted install
     * to see, never nothing. Several callbacks for one new instance race to write it: one wins, the rest go on.
     */
    private boolean recordInstallStarted(InstanceId instanceId, AppId app, String reference, Instant unconfirmedUntil) {
        try {
            return installations.recordInstallStarted(instanceId, app, reference, unconfirmedUntil);
        } catch (RuntimeException e) {
            if (WriteConflict.isCause(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The code exchange (protocol section 3); empty when Wix did not answer, which the fallback is for. */
    private Optional<WixGrant> exchange(AppId app, InstanceId instanceId, String code, boolean startedHere) {
        try {
            return Optional.of(wix.exchangeCode(app, instanceId, code));
        } catch (AppSecretRefusedException e) {
            // The app's secret, not the code, was refused: nothing is stored, and the owner may try again once it is set.
            abandon(instanceId, startedHere);
            throw e;
        } catch (UpstreamRejectedException e) {
            // A forged, expired or replayed code: not a real install, so nothing is stored and nothing falls back.
            abandon(instanceId, startedHere);
            throw new CodeRefusedException("Wix refused the authorization code (HTTP " + e.upstreamStatus() + ").");
        } catch (UpstreamUnavailableException e) {
            return Optional.empty();
        }
    }

    /**
     * Token Info on the exchanged access token (section 5): true when Wix says the code was issued for the claimed
     * instance of this app; false when Wix did not answer. Any other answer refuses the callback, and what this
     * callback wrote is taken back: a code from the caller's own install cannot land under someone else's instance.
     */
    private boolean confirmed(AppId app, InstanceId claimed, WixGrant grant, boolean startedHere) {
        TokenInfo info;
        try {
            info = wix.tokenInfo(claimed, grant.accessToken());
        } catch (UpstreamUnavailableException e) {
            return false;
        } catch (ServiceException e) {
            info = new TokenInfo(false, Optional.empty(), Optional.empty());
        }
        if (!info.confirms(app.value(), claimed.value())) {
            abandon(claimed, startedHere);
            throw new InstanceNotConfirmedException("Wix did not confirm that the authorization code belongs to the "
                    + "instance in the callback; nothing was stored.");
        }
        return true;
    }

    private void abandon(InstanceId instanceId, boolean startedHere) {
        if (startedHere) {
            installations.abandonInstallStarted(instanceId);
        }
    }

    /**
     * Wix did not answer the exchange or Token Info, so the instance is unconfirmed. A new instance (its only record
     * the one this callback wrote) still falls back to client credentials, which Wix itself grants only where the app
     * is installed; an installation that already existed is left exactly as it was, and the owner asked to retry.
     */
    private CallbackOutcome unconfirmedFallBack(AppId app, InstanceId claimed, boolean startedHere, String reference) {
        if (!startedHere) {
            throw new UpstreamUnavailableException("Wix did not answer, so the install could not be confirmed; "
                    + "nothing was changed. Try again shortly.");
        }
        return fallBack(app, claimed, InstallationFailed.Reason.CODE_EXCHANGE_FAILED, reference);
    }

    /**
     * Stores the refresh token; false when the store failed for a reason of its own (the fallback follows). When the
     * database is out, not even a fallback can be recorded: the token is kept until it is back, and the site owner
     * is asked to try again shortly.
     */
    private boolean stored(AppId app, InstanceId instanceId, Secret refreshToken, String reference) {
        for (int attempt = 1; ; attempt++) {
            try {
                installations.recordInstall(instanceId, app, refreshToken);
                return true;
            } catch (InstanceNotConfirmedException e) {
                throw e; // the instance is another app's: refused, and nothing of it falls back
            } catch (RuntimeException e) {
                // Another callback for the same instance committed first: read what it wrote, and write again.
                if (attempt < STORE_ATTEMPTS && WriteConflict.isCause(e)) {
                    continue;
                }
                return storeFailed(app, instanceId, refreshToken, reference, e);
            }
        }
    }

    private boolean storeFailed(AppId app, InstanceId instanceId, Secret refreshToken, String reference,
                                RuntimeException e) {
        if (DatabaseOutage.isCause(e)) {
            pendingInstalls.hold(instanceId, app, refreshToken, reference);
            throw e;
        }
        LOG.warning(() -> "Storing the refresh token of instance " + instanceId + " failed (reference "
                + reference + "): " + e.getClass().getSimpleName());
        return false;
    }

    /** The install still completes for the site owner: on client credentials, which the event's observer verified. */
    private CallbackOutcome fallBack(AppId app, InstanceId instanceId, InstallationFailed.Reason reason, String reference) {
        failures.fire(new InstallationFailed(instanceId, app, reason, Instant.now(clock), reference));
        Secret accessToken = tokens.accessTokenFor(instanceId).token();
        return new CallbackOutcome(instanceId, closeWindow(accessToken), true);
    }

    /** The app an address names (null: the default app); one the deployment does not serve is refused. */
    private AppId app(String appId) {
        if (appId == null) {
            return settings.appId();
        }
        AppId app;
        try {
            app = AppId.of(appId);
        } catch (RuntimeException e) {
            throw new UnknownAppException("This deployment serves no app by that id.");
        }
        return apps.served(app);
    }

    /** The Redirect URL registered for the app (protocol section 2); an app without one has no install handshake. */
    private String redirectUrlOf(AppId app) {
        Optional<StoredApp> stored = apps.stored(app);
        boolean handshake = stored.map(StoredApp::handshake).orElse(apps.isDefault(app));
        Optional<String> redirectUrl = apps.isDefault(app) ? Optional.of(settings.redirectUrl().toString())
                : stored.flatMap(StoredApp::redirectUrl);
        return redirectUrl.filter(url -> handshake)
                .orElseThrow(() -> new NoHandshakeException("This app's installs need no redirect: Wix installs it "
                        + "directly, and there is nothing to do on this page."));
    }

    private URI closeWindow(Secret accessToken) {
        return URI.create(settings.wwwBaseUrl() + "/installer/close-window?access_token=" + encode(accessToken.reveal()));
    }

    private static String wellFormedOrNull(String raw) {
        try {
            return InstanceId.of(raw).value();
        } catch (InvalidIdentifierException e) {
            return null;
        }
    }

    private static InstanceId instanceId(String raw) {
        try {
            return InstanceId.of(raw);
        } catch (InvalidIdentifierException e) {
            throw new InvalidCallbackException("The callback's instanceId is missing or malformed.");
        }
    }

    private static String code(String raw) {
        if (raw == null || !WELL_FORMED_CODE.matcher(raw).matches()) {
            throw new InvalidCallbackException("The callback's code is missing or malformed.");
        }
        return raw;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

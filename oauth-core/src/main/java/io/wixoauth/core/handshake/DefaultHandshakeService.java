package io.wixoauth.core.handshake;

import io.wixoauth.api.Secret;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.error.CodeRefusedException;
import io.wixoauth.api.error.InvalidCallbackException;
import io.wixoauth.api.error.InvalidIdentifierException;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.error.ServiceException;
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
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.installation.PendingInstalls;
import io.wixoauth.core.platform.DatabaseOutage;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.token.AccessTokenCache;
import io.wixoauth.core.wix.WixGrant;
import io.wixoauth.core.wix.WixOAuthClient;
import io.wixoauth.core.wix.WixSettings;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
    private static final Pattern WELL_FORMED_TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{1,4096}");

    @Inject
    PendingInstalls pendingInstalls;

    @Inject
    WixSettings settings;

    @Inject
    HandshakeStates states;

    @Inject
    WixOAuthClient wix;

    @Inject
    Installations installations;

    @Inject
    AccessTokenCache cache;

    @Inject
    AccessTokenService tokens;

    @Inject
    FinishedConfiguration finishedConfiguration;

    @Inject
    Event<InstallationFailed> failures;

    @Inject
    Audit audit;

    @Inject
    ServiceMetrics metrics;

    @Override
    public InstallRedirect startInstall(Optional<String> wixToken) {
        if (wixToken.isPresent() && !WELL_FORMED_TOKEN.matcher(wixToken.get()).matches()) {
            // Refused before a state is issued: a garbled token changes nothing and never reaches Wix.
            throw new InvalidRequestException("The install link's token is malformed; open the app again from Wix.");
        }
        Secret state = states.issue();
        StringBuilder url = new StringBuilder(settings.wwwBaseUrl() + "/installer/install?");
        wixToken.ifPresent(t -> url.append("token=").append(encode(t)).append('&'));
        url.append("appId=").append(encode(settings.appId().value()))
                .append("&redirectUrl=").append(encode(settings.redirectUrl().toString()))
                .append("&state=").append(encode(state.reveal()));
        return new InstallRedirect(URI.create(url.toString()), state, HandshakeStates.LIFETIME);
    }

    /** Every callback leaves an audit entry, refused or not, under the reference the site owner was shown. */
    @Override
    public CallbackOutcome completeInstall(CallbackRequest request) {
        try {
            CallbackOutcome outcome = handleCallback(request);
            metrics.installCompleted(outcome.fellBack());
            audit.quietly(AuditEvent.of("install.completed", "site-owner", outcome.instanceId().value(),
                    outcome.fellBack() ? "client credentials fallback" : "refresh token stored")
                    .withRequestId(request.reference()));
            return outcome;
        } catch (ServiceException e) {
            metrics.installRefused();
            audit.quietly(AuditEvent.of("install.refused", "site-owner", wellFormedOrNull(request.instanceId()),
                    e.errorCode()).withReason(e.getMessage()).withRequestId(request.reference()));
            throw e;
        }
    }

    private CallbackOutcome handleCallback(CallbackRequest request) {
        states.accept(request.state(), request.cookieState());
        InstanceId instanceId = instanceId(request.instanceId());
        String code = code(request.code());

        boolean started = installations.recordInstallStarted(instanceId, request.reference());
        Optional<WixGrant> grant = exchange(instanceId, code, started);
        if (grant.isEmpty() || grant.get().refreshToken().isEmpty()) {
            return fallBack(instanceId, InstallationFailed.Reason.CODE_EXCHANGE_FAILED, request.reference());
        }
        if (!stored(instanceId, grant.get().refreshToken().get(), request.reference())) {
            return fallBack(instanceId, InstallationFailed.Reason.STORAGE_FAILED, request.reference());
        }
        cache.evict(instanceId);
        if (settings.biEventEnabled()) {
            finishedConfiguration.announce(instanceId, grant.get().accessToken());
        }
        LOG.info(() -> "Installed on instance " + instanceId + " with a stored refresh token (reference "
                + request.reference() + ")");
        return new CallbackOutcome(instanceId, closeWindow(grant.get().accessToken()), false);
    }

    /** The code exchange (protocol section 3); empty when Wix did not answer, which the fallback is for. */
    private Optional<WixGrant> exchange(InstanceId instanceId, String code, boolean startedHere) {
        try {
            return Optional.of(wix.exchangeCode(instanceId, code));
        } catch (UpstreamRejectedException e) {
            // A forged, expired or replayed code: not a real install, so nothing is stored and nothing falls back.
            if (startedHere) {
                installations.abandonInstallStarted(instanceId);
            }
            throw new CodeRefusedException("Wix refused the authorization code (HTTP " + e.upstreamStatus() + ").");
        } catch (UpstreamUnavailableException e) {
            return Optional.empty();
        }
    }

    /**
     * Stores the refresh token; false when the store failed for a reason of its own (the fallback follows). When the
     * database is out, not even a fallback can be recorded: the token is kept until it is back, and the site owner
     * is asked to try again shortly.
     */
    private boolean stored(InstanceId instanceId, Secret refreshToken, String reference) {
        try {
            installations.recordInstall(instanceId, refreshToken);
            return true;
        } catch (RuntimeException e) {
            if (DatabaseOutage.isCause(e)) {
                pendingInstalls.hold(instanceId, refreshToken, reference);
                throw e;
            }
            LOG.warning(() -> "Storing the refresh token of instance " + instanceId + " failed (reference "
                    + reference + "): " + e.getClass().getSimpleName());
            return false;
        }
    }

    /** The install still completes for the site owner: on client credentials, which the event's observer verified. */
    private CallbackOutcome fallBack(InstanceId instanceId, InstallationFailed.Reason reason, String reference) {
        failures.fire(new InstallationFailed(instanceId, reason, Instant.now(), reference));
        cache.evict(instanceId);
        Secret accessToken = tokens.accessTokenFor(instanceId).token();
        return new CallbackOutcome(instanceId, closeWindow(accessToken), true);
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

package io.wixoauth.core.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.error.InstallationGoneException;
import io.wixoauth.api.error.UnknownInstanceException;
import io.wixoauth.api.error.UpstreamRejectedException;
import io.wixoauth.api.error.UpstreamUnavailableException;
import io.wixoauth.api.installation.InstallationFailed;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.api.token.TokenSource;
import io.wixoauth.core.audit.AuditBuffer;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.relay.EventOutbox;
import io.wixoauth.core.relay.ServiceEvents;
import io.wixoauth.core.wix.LoadShedException;
import io.wixoauth.core.wix.WixBackoff;
import io.wixoauth.core.wix.WixGrant;
import io.wixoauth.core.wix.WixOAuthClient;
import io.wixoauth.core.wix.WixToken;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationMode;
import io.wixoauth.persistence.installation.InstallationState;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

@Stateless
public class DefaultAccessTokenService implements AccessTokenService {

    private static final Logger LOG = Logs.of(DefaultAccessTokenService.class);

    @Inject
    AccessTokenCache cache;

    @Inject
    WixOAuthClient wix;

    @Inject
    Installations installations;

    @Inject
    Event<InstallationFailed> failures;

    @Inject
    ServiceMetrics metrics;

    @Inject
    SharedTokens shared;

    @Inject
    AuditBuffer auditBuffer;

    @Inject
    WixBackoff backoff;

    @Inject
    EventOutbox outbox;

    @Inject
    @ConfigProperty(name = "oauth.cluster.lease")
    Duration lease;

    @Inject
    @ConfigProperty(name = "oauth.token-refresh-skew")
    Duration refreshSkew;

    /** No transaction: none should stay open while Wix is being called; writes commit in their own. */
    @Override
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public IssuedAccessToken accessTokenFor(InstanceId instanceId) {
        return cache.get(instanceId, () -> clusterWide(instanceId, false));
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public IssuedAccessToken refresh(InstanceId instanceId) {
        cache.forgetLocally(instanceId);
        return cache.get(instanceId, () -> clusterWide(instanceId, true));
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public IssuedAccessToken serveTo(String caller, InstanceId instanceId, String requestId) {
        IssuedAccessToken token = accessTokenFor(instanceId);
        auditBuffer.add(AuditEvent.of("token.served", caller, instanceId.value(), token.source().wireName())
                .withRequestId(requestId));
        return token;
    }

    /**
     * One fetch per instance per expiry across all nodes: a token another node fetched is taken from the database;
     * otherwise the node that wins the lease fetches and publishes, and the others wait for it. The lease is not held
     * during the call to Wix, and a node that dies while holding it leaves a lease that runs out.
     */
    private IssuedAccessToken clusterWide(InstanceId instanceId, boolean replaceShared) {
        Instant giveUp = Instant.now().plus(lease.multipliedBy(3));
        boolean acceptShared = !replaceShared;
        while (true) {
            Optional<IssuedAccessToken> published = published(instanceId, acceptShared);
            if (published.isPresent()) {
                return published.get();
            }
            if (leased(instanceId)) {
                try {
                    // Another node may have published and let go between the look above and this lease.
                    Optional<IssuedAccessToken> meanwhile = published(instanceId, acceptShared);
                    if (meanwhile.isPresent()) {
                        shared.release(instanceId, cache.node());
                        return meanwhile.get();
                    }
                    IssuedAccessToken fetched = fetch(instanceId);
                    shared.publish(fetched, cache.node());
                    return fetched;
                } catch (RuntimeException e) {
                    shared.release(instanceId, cache.node());
                    throw e;
                }
            }
            acceptShared = true; // another node holds the lease: what it publishes is newer than this call
            if (Instant.now().isAfter(giveUp)) {
                throw new UpstreamUnavailableException("Another node is still fetching the token of instance "
                        + instanceId + "; try again shortly");
            }
            pause();
        }
    }

    /** The token another node published, if it is fresh and this call may take it. */
    private Optional<IssuedAccessToken> published(InstanceId instanceId, boolean acceptShared) {
        return acceptShared ? shared.fresh(instanceId, refreshSkew) : Optional.empty();
    }

    private boolean leased(InstanceId instanceId) {
        try {
            return shared.tryLease(instanceId, cache.node(), lease);
        } catch (RuntimeException e) {
            return false; // two nodes created the row at once; the next round decides
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("Interrupted while waiting for another node's token");
        }
    }

    /** Runs once per instance per expiry, however many callers wait for it, and not while the instance backs off. */
    private IssuedAccessToken fetch(InstanceId instanceId) {
        backoff.checkTurn(instanceId);
        try {
            IssuedAccessToken token = fetchFromWix(instanceId);
            backoff.succeeded(instanceId);
            return token;
        } catch (LoadShedException e) {
            throw e; // Wix as a whole is down or this node is busy: no reason to hold this instance back
        } catch (UpstreamUnavailableException e) {
            // The caller learns exactly when the next call to Wix may happen for this instance.
            throw new UpstreamUnavailableException(e.getMessage(), backoff.failed(instanceId, e.retryAfter()));
        }
    }

    private IssuedAccessToken fetchFromWix(InstanceId instanceId) {
        Optional<Installation> installation = installations.find(instanceId);
        if (installation.isEmpty()) {
            return clientCredentialsForUnrecordedInstance(instanceId);
        }
        if (installation.get().getState() == InstallationState.UNINSTALLED) {
            throw new InstallationGoneException("The app was uninstalled from instance " + instanceId + ".");
        }
        if (installation.get().getMode() == InstallationMode.REFRESH_TOKEN) {
            return refreshed(installation.get());
        }
        try {
            return clientCredentials(instanceId);
        } catch (UpstreamRejectedException e) {
            reportFailing(instanceId, e);
            throw e;
        }
    }

    /** Installed here, refused by Wix: the backends must hear of it, not only the caller that met it. */
    private void reportFailing(InstanceId instanceId, UpstreamRejectedException refusal) {
        try {
            outbox.recordAlone(ServiceEvents.tokenFailing(instanceId, refusal.getMessage(), Instant.now()));
        } catch (RuntimeException e) {
            LOG.warning(() -> "Could not report the refused tokens of instance " + instanceId + ": " + e);
        }
    }

    /** Advanced OAuth (protocol section 4). A refused or unreadable refresh token falls back, never fails the caller. */
    private IssuedAccessToken refreshed(Installation installation) {
        InstanceId instanceId = installation.instanceId();
        Optional<Secret> refreshToken = installation.refreshToken();
        if (refreshToken.isEmpty()) {
            LOG.warning(() -> "Refresh token of instance " + instanceId + " unusable: " + installation.refreshTokenProblem());
            return fallBack(instanceId, InstallationFailed.Reason.REFRESH_TOKEN_UNREADABLE);
        }
        Instant requestedAt = Instant.now();
        WixGrant grant;
        try {
            grant = wix.refresh(instanceId, refreshToken.get());
        } catch (UpstreamRejectedException e) {
            metrics.refresh("rejected");
            return fallBack(instanceId, InstallationFailed.Reason.REFRESH_TOKEN_REJECTED);
        } catch (RuntimeException e) {
            metrics.refresh("failed");
            throw e;
        }
        metrics.refresh("ok");
        // Wix does not rotate refresh tokens today (section 4): only a different one costs a write.
        grant.refreshToken().filter(returned -> !returned.equals(refreshToken.get()))
                .ifPresent(returned -> installations.recordReturnedRefreshToken(instanceId, returned));
        return new IssuedAccessToken(instanceId, grant.accessToken(), requestedAt.plus(grant.expiresIn()),
                TokenSource.REFRESH_TOKEN);
    }

    private IssuedAccessToken fallBack(InstanceId instanceId, InstallationFailed.Reason reason) {
        failures.fire(new InstallationFailed(instanceId, reason, Instant.now(), "token-api-" + UUID.randomUUID()));
        return clientCredentials(instanceId);
    }

    /**
     * An instance with no record (installed before this service ran, or its webhook not yet arrived) is served by
     * basic OAuth; if Wix says the app is not installed there, it is unknown (404).
     */
    private IssuedAccessToken clientCredentialsForUnrecordedInstance(InstanceId instanceId) {
        try {
            return clientCredentials(instanceId);
        } catch (UpstreamRejectedException e) {
            if (e.upstreamStatus() == 400 || e.upstreamStatus() == 404) {
                throw new UnknownInstanceException("The app is not installed on instance " + instanceId + ".");
            }
            throw e;
        }
    }

    /** Basic OAuth (protocol section 1). */
    private IssuedAccessToken clientCredentials(InstanceId instanceId) {
        Instant requestedAt = Instant.now();
        WixToken token = wix.createAccessToken(instanceId);
        // Measured from before the call, so the cached expiry is never later than Wix's.
        return new IssuedAccessToken(instanceId, token.accessToken(), requestedAt.plus(token.expiresIn()),
                TokenSource.CLIENT_CREDENTIALS);
    }
}

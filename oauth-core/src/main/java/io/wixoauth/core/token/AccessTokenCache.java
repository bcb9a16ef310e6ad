package io.wixoauth.core.token;

import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.core.platform.ServiceMetrics;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The process-wide token cache. A token is served until {@code oauth.token-refresh-skew} before it expires, so a
 * backend never receives a token that dies on its way to Wix.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AccessTokenCache {

    private final SingleFlightCache<InstanceId, IssuedAccessToken> tokens = new SingleFlightCache<>();
    private final Clock clock = Clock.systemUTC();

    @Inject
    @ConfigProperty(name = "oauth.token-refresh-skew")
    Duration refreshSkew;

    @Inject
    ServiceMetrics metrics;

    /** A caller who joins a load already in flight counts as a hit: it caused no call to Wix. */
    public IssuedAccessToken get(InstanceId instanceId, Supplier<IssuedAccessToken> fetch) {
        AtomicBoolean loaded = new AtomicBoolean();
        IssuedAccessToken token = tokens.get(instanceId, t -> t.isValidFor(refreshSkew, clock.instant()), () -> {
            loaded.set(true);
            return fetch.get();
        });
        metrics.tokenCache(!loaded.get());
        return token;
    }

    public void evict(InstanceId instanceId) {
        tokens.evict(instanceId);
    }
}

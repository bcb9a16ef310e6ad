package io.wixoauth.core.token;

import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.wix.LoadShedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The process-wide token cache. A token is served until {@code oauth.token-refresh-skew} before it expires, so a
 * backend never receives a token that dies on its way to Wix, and for at most {@code oauth.token-cache.max-age}: after
 * that the node looks at the database again, where another node may have dropped it (an uninstall, an admin action).
 */
@ApplicationScoped // a plain CDI bean: it is on every token request, and needs no transaction or EJB lock of its own
public class AccessTokenCache {

    private final SingleFlightCache<InstanceId, IssuedAccessToken> tokens = new SingleFlightCache<>();
    private final Clock clock = Clock.systemUTC();

    @Inject
    @ConfigProperty(name = "oauth.token-refresh-skew")
    Duration refreshSkew;

    @Inject
    @ConfigProperty(name = "oauth.token-cache.max-age")
    Duration maxAge;

    @Inject
    ServiceMetrics metrics;

    private Semaphore fetching;

    @Inject
    SharedTokens shared;

    @Inject
    void limitFetching(@ConfigProperty(name = "oauth.token-cache.max-fetching") int maxFetching) {
        fetching = new Semaphore(maxFetching);
    }

    /** This process, as the holder of fetch leases. */
    private final String node = UUID.randomUUID().toString();
    private final Map<InstanceId, Instant> cachedAt = new ConcurrentHashMap<>();

    /**
     * A caller who joins a load already in flight counts as a hit: it caused no call to Wix. A node fetches the tokens
     * of at most {@code oauth.token-cache.max-fetching} instances at once; a fetch past that is refused at once with
     * 503, so a storm of cold instances or a hanging Wix cannot take every request thread and database connection.
     */
    public IssuedAccessToken get(InstanceId instanceId, Supplier<IssuedAccessToken> fetch) {
        AtomicBoolean loaded = new AtomicBoolean();
        IssuedAccessToken token = tokens.get(instanceId, t -> isFresh(instanceId, t), () -> {
            loaded.set(true);
            if (!fetching.tryAcquire()) {
                throw new LoadShedException("Too many tokens are being fetched on this node; try again shortly",
                        Duration.ofSeconds(1));
            }
            try {
                IssuedAccessToken fetched = fetch.get();
                cachedAt.put(instanceId, clock.instant());
                return fetched;
            } finally {
                fetching.release();
            }
        });
        metrics.tokenCache(!loaded.get());
        return token;
    }

    /** Forgets the instance's token in this process only; the shared one stays until it is replaced. */
    public void forgetLocally(InstanceId instanceId) {
        tokens.evict(instanceId);
        cachedAt.remove(instanceId);
    }

    /** Forgets the instance's token here and for every node. */
    public void evict(InstanceId instanceId) {
        tokens.evict(instanceId);
        cachedAt.remove(instanceId);
        shared.forget(instanceId);
    }

    public String node() {
        return node;
    }

    private boolean isFresh(InstanceId instanceId, IssuedAccessToken token) {
        Instant now = clock.instant();
        Instant since = cachedAt.get(instanceId);
        return token.isValidFor(refreshSkew, now) && since != null && now.isBefore(since.plus(maxAge));
    }
}

package io.wixoauth.core.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.core.audit.ReadSummaries;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.wix.LoadShedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a token is served, in the order a request meets it:
 * <ol>
 *   <li>{@link AccessTokenCache}: a token this node holds and may still serve answers at once;</li>
 *   <li>{@link SingleFlight}: otherwise one caller per instance on this node loads it, and the others wait for that
 *       load (at most {@code oauth.token-cache.max-fetching} instances loading at once; more are refused with 503);</li>
 *   <li>{@link ClusterFetch}: one node per instance fetches, under a lease in the database; the others take what it
 *       publishes;</li>
 *   <li>{@link TokenFetch}: the fetch itself, by refresh token or client credentials, falling back to client
 *       credentials ({@link ClientCredentialsFallback}) when a refresh token is refused.</li>
 * </ol>
 * No transaction: none should stay open while Wix is called; each write commits in its own.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class DefaultAccessTokenService implements AccessTokenService {

    /** A load is of one instance in one generation: a caller after an eviction starts a load of its own. */
    private record Flight(InstanceId instanceId, long generation) {
    }

    private final SingleFlight<Flight, IssuedAccessToken> flights = new SingleFlight<>();
    private Semaphore fetching;

    @Inject
    AccessTokenCache cache;

    @Inject
    ClusterFetch cluster;

    @Inject
    TokenFetch wix;

    @Inject
    ReadSummaries reads;

    @Inject
    ServiceMetrics metrics;

    @Inject
    void limitFetching(@ConfigProperty(name = "oauth.token-cache.max-fetching") int maxFetching) {
        fetching = new Semaphore(maxFetching);
    }

    @Override
    public IssuedAccessToken accessTokenFor(InstanceId instanceId) {
        Optional<IssuedAccessToken> cached = cache.fresh(instanceId);
        if (cached.isPresent()) {
            metrics.tokenCache(true);
            return cached.get();
        }
        return load(instanceId, false);
    }

    @Override
    public IssuedAccessToken refresh(InstanceId instanceId) {
        cache.forgetLocally(instanceId);
        return load(instanceId, true);
    }

    @Override
    public IssuedAccessToken replaceRefused(InstanceId instanceId, Secret refused) {
        Optional<IssuedAccessToken> cached = cache.fresh(instanceId);
        if (cached.isPresent() && !cached.get().token().equals(refused)) {
            return cached.get(); // another caller replaced it already
        }
        // A caller arriving while the replacement is loading joins that load (single flight).
        cache.forgetLocally(instanceId);
        return load(instanceId, true);
    }

    @Override
    public IssuedAccessToken serveTo(String caller, InstanceId instanceId, String requestId) {
        IssuedAccessToken token = accessTokenFor(instanceId);
        reads.read(caller, instanceId.value(), token.source().wireName(), requestId);
        return token;
    }

    /** A caller who joins a load already in flight counts as a cache hit: it caused no call to Wix. */
    private IssuedAccessToken load(InstanceId instanceId, boolean replaceShared) {
        AtomicBoolean loaded = new AtomicBoolean();
        long generation = cache.generation(instanceId);
        IssuedAccessToken token = flights.run(new Flight(instanceId, generation), () -> {
            loaded.set(true);
            // A load that ended just before this one began has left its token here.
            return (replaceShared ? Optional.<IssuedAccessToken>empty() : cache.fresh(instanceId))
                    .orElseGet(() -> fetchAndKeep(instanceId, generation, replaceShared));
        });
        metrics.tokenCache(!loaded.get());
        return token;
    }

    /** At most max-fetching at once, so a storm of cold instances or a hanging Wix cannot take every request thread. */
    private IssuedAccessToken fetchAndKeep(InstanceId instanceId, long generation, boolean replaceShared) {
        if (!fetching.tryAcquire()) {
            throw new LoadShedException("Too many tokens are being fetched on this node; try again shortly",
                    Duration.ofSeconds(1));
        }
        try {
            ClusterFetch.Obtained obtained = cluster.obtain(instanceId, replaceShared, wix::fetch);
            if (obtained.current()) {
                cache.keep(obtained.token(), generation);
            }
            return obtained.token(); // a token that is not current any more still answers those who asked before
        } finally {
            fetching.release();
        }
    }
}

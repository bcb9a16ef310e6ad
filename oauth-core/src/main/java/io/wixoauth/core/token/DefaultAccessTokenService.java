package io.wixoauth.core.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.core.audit.ReadSummaries;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.wix.Apps;
import io.wixoauth.core.wix.LoadShedException;
import io.wixoauth.core.platform.Logs;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * How a token is served, in the order a request meets it:
 * <ol>
 *   <li>{@link AccessTokenCache}: a token this node holds and may still serve answers at once; a busy instance's token
 *       in the last part of its life is fetched again meanwhile, in the background ({@link RefreshAhead}), so that
 *       its readers never wait for Wix;</li>
 *   <li>{@link SingleFlight}: otherwise one caller per instance on this node loads it, and the others wait for that
 *       load (at most {@code oauth.token-cache.max-fetching} instances loading at once; more are refused with 503);</li>
 *   <li>{@link ClusterFetch}: one node per instance fetches, under a lease in the database; the others take what it
 *       publishes;</li>
 *   <li>{@link TokenFetch}: the fetch itself, by refresh token or client credentials, falling back to client
 *       credentials ({@link ClientCredentialsFallback}) when a refresh token is refused.</li>
 * </ol>
 * A warm read is a map lookup and a counter: no interceptor, no transaction ({@link ClusterFetch} suspends any
 * transaction of the caller's before the database or Wix is reached).
 */
@ApplicationScoped
public class DefaultAccessTokenService implements AccessTokenService {

    private static final Logger LOG = Logs.of(DefaultAccessTokenService.class);

    /**
     * A load is of one instance in one generation: a caller after an eviction starts a load of its own. A refresh
     * ahead is a flight of its own: a reader whose token is still good (it only passed {@code max-age}) must not join a
     * call to Wix, and one whose token went stale meanwhile waits for it through the lease.
     */
    private record Flight(InstanceId instanceId, long generation, boolean ahead) {
    }

    /** What a load brought: the token, and whether it waited for Wix (its own fetch, or another node's). */
    private record Loaded(IssuedAccessToken token, boolean waitedForWix) {
    }

    private final SingleFlight<Flight, Loaded> flights = new SingleFlight<>();
    private Semaphore fetching;
    private Semaphore fetchingAhead;

    @Inject
    Apps apps;

    @Inject
    Clock clock;

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

    @Resource
    ManagedExecutorService background;

    /** Refreshes ahead take at most a quarter of the fetches a node runs at once: callers who must wait come first. */
    @Inject
    void limitFetching(@ConfigProperty(name = "oauth.token-cache.max-fetching") int maxFetching) {
        fetching = new Semaphore(maxFetching);
        fetchingAhead = new Semaphore(Math.max(1, maxFetching / 4));
    }

    @Override
    public IssuedAccessToken accessTokenFor(InstanceId instanceId) {
        return accessTokenFor(null, instanceId);
    }

    /** {@code app}, when the caller named one, must be the instance's: a token of another app is never served. */
    @Override
    public IssuedAccessToken accessTokenFor(AppId app, InstanceId instanceId) {
        if (app != null) {
            apps.served(app);
        }
        IssuedAccessToken token = warmOrLoaded(app, instanceId);
        if (app != null && !token.appId().equals(app)) {
            throw TokenFetch.notOf(app, instanceId);
        }
        return token;
    }

    private IssuedAccessToken warmOrLoaded(AppId app, InstanceId instanceId) {
        Instant now = Instant.now(clock);
        AccessTokenCache.Kept kept = cache.servable(instanceId, now);
        if (kept == null) {
            Loaded loaded = load(instanceId, any -> true, app);
            if (loaded.waitedForWix()) {
                metrics.tokenReadWaited();
            }
            return loaded.token();
        }
        metrics.tokenCache(true);
        if (cache.read(kept, now)) {
            refreshAhead(instanceId, kept);
        }
        return kept.token();
    }

    @Override
    public IssuedAccessToken refresh(InstanceId instanceId) {
        cache.forgetLocally(instanceId);
        return load(instanceId, ClusterFetch.NONE, null).token();
    }

    @Override
    public IssuedAccessToken replaceRefused(InstanceId instanceId, Secret refused) {
        Optional<IssuedAccessToken> cached = cache.fresh(instanceId);
        if (cached.isPresent() && !cached.get().token().equals(refused)) {
            return cached.get(); // another caller replaced it already
        }
        // A caller arriving while the replacement is loading joins that load (single flight); one arriving after it
        // ended takes that replacement, here or from the database.
        cache.forgetLocally(instanceId);
        return load(instanceId, token -> !token.token().equals(refused), null).token();
    }

    @Override
    public IssuedAccessToken serveTo(String caller, AppId app, InstanceId instanceId, String requestId) {
        IssuedAccessToken token = accessTokenFor(app, instanceId);
        reads.read(caller, instanceId.value(), token.appId().value(), token.source().wireName(), requestId);
        return token;
    }

    /**
     * A token {@code acceptable} to the caller: kept here by a load that ended just before this one began, published
     * by another node, or fetched. A caller who joins a load already in flight counts as a cache hit: it caused no
     * call to Wix.
     */
    private Loaded load(InstanceId instanceId, Predicate<IssuedAccessToken> acceptable, AppId app) {
        AtomicBoolean loaded = new AtomicBoolean();
        long generation = cache.generation(instanceId);
        Loaded result = flights.run(new Flight(instanceId, generation, false), () -> {
            loaded.set(true);
            return cache.fresh(instanceId).filter(acceptable).map(token -> new Loaded(token, false))
                    .orElseGet(() -> fetchAndKeep(instanceId, generation, acceptable, fetching, "on_demand", app));
        });
        metrics.tokenCache(!loaded.get());
        return result;
    }

    /**
     * In the background, the token after {@code held}: one another node already fetched, else a fetch (one across
     * nodes, under the lease). Readers go on being served {@code held} meanwhile; one who finds it stale before this
     * ends waits for its fetch through the lease. No room (other fetches run) or a failure: a later read tries again.
     */
    private void refreshAhead(InstanceId instanceId, AccessTokenCache.Kept held) {
        if (!fetchingAhead.tryAcquire()) {
            cache.aheadEnded(held);
            return;
        }
        Predicate<IssuedAccessToken> newer = token -> token.expiresAt().isAfter(held.token().expiresAt());
        long started = System.nanoTime();
        try {
            background.execute(() -> {
                try {
                    flights.run(new Flight(instanceId, held.generation(), true), () -> cache.fresh(instanceId).filter(newer)
                            .map(token -> new Loaded(token, false))
                            .orElseGet(() -> fetchAndKeep(instanceId, held.generation(), newer, fetching, "ahead",
                                    null)));
                } catch (RuntimeException e) {
                    LOG.fine(() -> "Refresh ahead of instance " + instanceId + " did not succeed, a later read tries "
                            + "again: " + e.getMessage());
                } finally {
                    fetchingAhead.release();
                    cache.aheadEnded(held); // if it is still what this node holds, the refresh did not replace it
                    metrics.refreshedAhead(Duration.ofNanos(System.nanoTime() - started));
                }
            });
        } catch (RuntimeException rejected) {
            fetchingAhead.release();
            cache.aheadEnded(held);
        }
    }

    /** At most max-fetching at once, so a storm of cold instances or a hanging Wix cannot take every request thread. */
    private Loaded fetchAndKeep(InstanceId instanceId, long generation, Predicate<IssuedAccessToken> acceptable,
                                Semaphore room, String trigger, AppId app) {
        if (!room.tryAcquire()) {
            throw new LoadShedException("Too many tokens are being fetched on this node; try again shortly",
                    Duration.ofSeconds(1));
        }
        try {
            ClusterFetch.Obtained obtained = cluster.obtain(instanceId, acceptable, id -> {
                IssuedAccessToken fetched = wix.fetch(id, app);
                metrics.tokenFetched(trigger);
                return fetched;
            });
            if (obtained.current()) {
                cache.keep(obtained.token(), generation);
            }
            // A token that is not current any more still answers those who asked before.
            return new Loaded(obtained.token(), obtained.waitedFor());
        } finally {
            room.release();
        }
    }
}

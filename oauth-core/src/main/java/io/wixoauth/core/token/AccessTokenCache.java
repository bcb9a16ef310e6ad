package io.wixoauth.core.token;

import io.wixoauth.api.installation.InstallationChanged;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tokens this node holds in memory, and when each stops being served: {@code oauth.token-refresh-skew} before it
 * expires, so a backend never receives a token that dies on its way to Wix, and {@code oauth.token-cache.max-age}
 * after it was kept, so the node then looks at the database again, where another node may have dropped it (an
 * uninstall, an admin action). It only stores: fetching is {@link DefaultAccessTokenService}'s.
 *
 * <p>Each instance has a generation, and an eviction (the installation changed) starts a new one. A load belongs to
 * the generation it started in, and what it fetched is kept only if that is still the instance's generation: a fetch
 * that read the installation as it was before the change cannot bring its token back after it.
 */
@ApplicationScoped // a plain CDI bean: it is on every token request, and needs no transaction or EJB lock of its own
public class AccessTokenCache {

    /**
     * An instance's token (none after an eviction or a local forget), the generation it belongs to, when it enters the
     * refresh-ahead window ({@link RefreshAhead}), the instance's reads, and when a refresh ahead may start
     * ({@code Long.MAX_VALUE} while one runs).
     */
    record Kept(IssuedAccessToken token, Instant keptAt, long generation, Instant aheadAt, RefreshAhead.Reads reads,
                AtomicLong aheadNotBefore) {

        private static Kept of(IssuedAccessToken token, Instant keptAt, long generation, Instant aheadAt,
                               RefreshAhead.Reads reads) {
            return new Kept(token, keptAt, generation, aheadAt, reads, new AtomicLong());
        }
    }

    private static final long SWEEP_EVICTIONS_EVERY = 1_000;

    private final Map<InstanceId, Kept> tokens = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "oauth.token-refresh-skew")
    Duration refreshSkew;

    @Inject
    @ConfigProperty(name = "oauth.token-cache.max-age")
    Duration maxAge;

    @Inject
    SharedTokens shared;

    @Inject
    RefreshAhead ahead;

    /** How long an eviction is remembered for loads that started before it (see {@link #sweepEvictions}). */
    Duration evictionRemembered = Duration.ofMinutes(10);

    /** The instance's token, if this node holds one it may still serve. */
    Optional<IssuedAccessToken> fresh(InstanceId instanceId) {
        Kept kept = servable(instanceId, Instant.now(clock));
        return kept == null ? Optional.empty() : Optional.of(kept.token());
    }

    /** What this node holds for the instance, if it holds a token it may still serve at {@code now}; else null. */
    Kept servable(InstanceId instanceId, Instant now) {
        Kept kept = tokens.get(instanceId);
        if (kept == null || kept.token() == null) {
            return null;
        }
        return kept.token().isValidFor(refreshSkew, now) && now.isBefore(kept.keptAt().plus(maxAge)) ? kept : null;
    }

    /**
     * Counts a read served from {@code kept}; true for the one read that should start its refresh ahead now: the token
     * is in its window, the instance is busy, and no refresh ahead of it runs or failed a moment ago.
     */
    boolean read(Kept kept, Instant now) {
        long millis = now.toEpochMilli();
        ahead.counted(kept.reads(), millis);
        if (now.isBefore(kept.aheadAt()) || !ahead.busy(kept.reads(), millis)) {
            return false;
        }
        long notBefore = kept.aheadNotBefore().get();
        return millis >= notBefore && kept.aheadNotBefore().compareAndSet(notBefore, Long.MAX_VALUE);
    }

    /** A refresh ahead of {@code kept} ended without replacing it (it failed, or had no room): try again a bit later. */
    void aheadEnded(Kept kept) {
        kept.aheadNotBefore().set(Instant.now(clock).plus(RefreshAhead.RETRY).toEpochMilli());
    }

    /** The instance's generation now: a load takes it when it starts. */
    long generation(InstanceId instanceId) {
        Kept kept = tokens.get(instanceId);
        return kept == null ? 0 : kept.generation();
    }

    /**
     * Keeps what a load of {@code generation} fetched, unless the instance was evicted since that load started. The
     * instance's reads carry over; so does the refresh-ahead point of a token kept again (taken anew from the database
     * every {@code max-age}), which stays where that token's life put it.
     */
    void keep(IssuedAccessToken token, long generation) {
        Instant now = Instant.now(clock);
        tokens.compute(token.instanceId(), (instanceId, kept) -> {
            if ((kept == null ? 0 : kept.generation()) != generation) {
                return kept;
            }
            Instant aheadAt = kept != null && token.equals(kept.token()) ? kept.aheadAt()
                    : ahead.aheadAt(now, token.expiresAt().minus(refreshSkew));
            return Kept.of(token, now, generation, aheadAt, kept == null ? new RefreshAhead.Reads() : kept.reads());
        });
    }

    /** Forgets the instance's token on this node only; the shared one stays until it is replaced. */
    void forgetLocally(InstanceId instanceId) {
        tokens.computeIfPresent(instanceId, (id, kept) -> Kept.of(null, kept.keptAt(), kept.generation(), Instant.MAX,
                kept.reads()));
    }

    /**
     * An installation changed (an install, an uninstall, an import, an admin action). In the change's own transaction,
     * the shared token and its lease go for every node: they commit with the change, so no node can take the old token
     * from the database once the change is visible, and a fetch in flight finds its lease gone when it comes to publish.
     */
    void forgetShared(@Observes(during = TransactionPhase.IN_PROGRESS) InstallationChanged change) {
        shared.forget(change.instanceIds());
    }

    /**
     * Once the change is committed: this node's own copy goes, and a new generation starts, so a load that read the
     * installation as it was keeps nothing. (Memory only: a transaction that is completing cannot start another.)
     */
    void onInstallationChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) InstallationChanged change) {
        Instant now = Instant.now(clock);
        for (InstanceId instanceId : change.instanceIds()) {
            long generation = evictions.incrementAndGet();
            tokens.put(instanceId, Kept.of(null, now, generation, Instant.MAX, new RefreshAhead.Reads()));
            if (generation % SWEEP_EVICTIONS_EVERY == 0) {
                sweepEvictions();
            }
        }
    }

    /**
     * An eviction's mark is needed only while a load that started before it may still run: every load gives up after
     * three leases plus its calls to Wix, far less than {@link #evictionRemembered}. Older marks of instances this
     * node holds no token for go, so an import of a whole install base does not leave one per installation.
     */
    private void sweepEvictions() {
        Instant forgettable = Instant.now(clock).minus(evictionRemembered);
        tokens.values().removeIf(kept -> kept.token() == null && kept.keptAt().isBefore(forgettable));
    }

    /** Instances this node holds anything for, a token or an eviction's mark. */
    int held() {
        return tokens.size();
    }
}

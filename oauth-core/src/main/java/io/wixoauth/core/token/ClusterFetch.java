package io.wixoauth.core.token;

import io.wixoauth.api.error.UpstreamUnavailableException;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.core.platform.ServiceMetrics;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One fetch per instance per expiry across all nodes, through the database ({@link SharedTokens}): a token another
 * node published is taken; otherwise the node that wins the instance's lease fetches and publishes, and the others
 * wait for it. The lease is not held during the call to Wix in a transaction, and a node that dies while holding it
 * leaves a lease that runs out ({@code oauth.cluster.lease}). Each fetch holds the lease under a name of its own: when
 * the installation changes, the lease goes with the shared token ({@link SharedTokens#forget}), so a fetch that read
 * the installation as it was can tell, and its token is neither shared nor kept.
 *
 * <p>Waiting holds no thread in a sleep: the waiting caller blocks on a future, completed by checks of the database
 * that a scheduler runs at growing intervals (20 ms doubling to 400 ms) until the other node publishes, lets go of
 * the lease, or its lease runs out. Each wait and its checks are counted in {@code oauth_token_cluster_wait_*}.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED) // no transaction stays open while Wix is called or a lease awaited
class ClusterFetch {

    private static final Duration FIRST_CHECK = Duration.ofMillis(20);
    private static final Duration LONGEST_INTERVAL = Duration.ofMillis(400);

    /** This process; each fetch's lease is held as this and a number of its own. */
    private final String node = UUID.randomUUID().toString();
    private final AtomicLong fetches = new AtomicLong();

    @Inject
    Clock clock;

    @Inject
    SharedTokens shared;

    @Inject
    ServiceMetrics metrics;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "oauth.cluster.lease")
    Duration lease;

    @Inject
    @ConfigProperty(name = "oauth.token-refresh-skew")
    Duration refreshSkew;

    /** What a wait ended with: the other node's token, the lease (that node let go of it), or neither in time. */
    private record Turn(Optional<IssuedAccessToken> published, boolean leased) {
    }

    /**
     * A token obtained; whether it is {@code current}: taken from what the cluster shares, or fetched under a lease
     * that was still this fetch's when it came back (a token that is not current is its callers' only); and whether
     * Wix was {@code waitedFor}: fetched by this call, or by another node while this call waited for it.
     */
    record Obtained(IssuedAccessToken token, boolean current, boolean waitedFor) {
    }

    /** Accepts no published token: the caller wants a new one whatever is shared (a bulk or forced refresh). */
    static final Predicate<IssuedAccessToken> NONE = token -> false;

    /**
     * The instance's token: one another node published, if it is fresh and {@code acceptable} (the caller may want a
     * newer one than the one it holds, or any but the one Wix refused), else fetched by {@code fetch} under a lease of
     * this fetch's own.
     */
    Obtained obtain(InstanceId instanceId, Predicate<IssuedAccessToken> acceptable,
                    Function<InstanceId, IssuedAccessToken> fetch) {
        String holder = node + ":" + fetches.incrementAndGet();
        Instant giveUp = Instant.now(clock).plus(lease.multipliedBy(3));
        Predicate<IssuedAccessToken> acceptShared = acceptable;
        Optional<IssuedAccessToken> published = published(instanceId, acceptShared);
        if (published.isPresent()) {
            return new Obtained(published.get(), true, false);
        }
        boolean leased = tryLease(instanceId, holder);
        while (!leased) {
            // Another fetch holds the lease: what it publishes is newer than this call, whatever the caller asked.
            acceptShared = any -> true;
            Turn turn = awaitTurn(instanceId, holder, earliest(Instant.now(clock).plus(lease), giveUp));
            if (turn.published().isPresent()) {
                return new Obtained(turn.published().get(), true, true);
            }
            leased = turn.leased() || tryLease(instanceId, holder); // a lease that ran out is taken over
            if (!leased && !Instant.now(clock).isBefore(giveUp)) {
                throw new UpstreamUnavailableException("Another node is still fetching the token of instance "
                        + instanceId + "; try again shortly");
            }
        }
        return underLease(instanceId, holder, acceptShared, fetch);
    }

    private Obtained underLease(InstanceId instanceId, String holder, Predicate<IssuedAccessToken> acceptShared,
                                Function<InstanceId, IssuedAccessToken> fetch) {
        try {
            // Another node may have published and let go between the look before and this lease.
            Optional<IssuedAccessToken> meanwhile = published(instanceId, acceptShared);
            if (meanwhile.isPresent()) {
                shared.release(instanceId, holder);
                return new Obtained(meanwhile.get(), true, false);
            }
            IssuedAccessToken fetched = fetch.apply(instanceId);
            return new Obtained(fetched, shared.publish(fetched, holder), true);
        } catch (RuntimeException e) {
            shared.release(instanceId, holder);
            throw e;
        }
    }

    /** The fresh token another node published, if {@code acceptable}; no look at the database for {@link #NONE}. */
    private Optional<IssuedAccessToken> published(InstanceId instanceId, Predicate<IssuedAccessToken> acceptable) {
        return acceptable == NONE ? Optional.empty() : shared.fresh(instanceId, refreshSkew).filter(acceptable);
    }

    private boolean tryLease(InstanceId instanceId, String holder) {
        try {
            return shared.tryLease(instanceId, holder, lease);
        } catch (RuntimeException e) {
            return false; // two nodes created the row at once; the next look decides
        }
    }

    /** Blocks until the other node publishes or lets go of the lease, or {@code until}; measured either way. */
    private Turn awaitTurn(InstanceId instanceId, String holder, Instant until) {
        long started = System.nanoTime();
        AtomicInteger checks = new AtomicInteger();
        CompletableFuture<Turn> turn = new CompletableFuture<>();
        checkLater(instanceId, holder, until, FIRST_CHECK, turn, checks);
        try {
            long waitMillis = Math.max(0, Duration.between(Instant.now(clock), until).toMillis()) + LONGEST_INTERVAL.toMillis();
            return turn.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Turn(Optional.empty(), false);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("Interrupted while waiting for another node's token");
        } finally {
            turn.cancel(false); // a check still scheduled finds it done and stops
            metrics.clusterWait(Duration.ofNanos(System.nanoTime() - started), checks.get());
        }
    }

    private void checkLater(InstanceId instanceId, String holder, Instant until, Duration delay,
                            CompletableFuture<Turn> turn, AtomicInteger checks) {
        scheduler.schedule(() -> {
            if (turn.isDone()) {
                return;
            }
            try {
                checks.incrementAndGet();
                Optional<IssuedAccessToken> published = shared.fresh(instanceId, refreshSkew);
                if (published.isPresent()) {
                    turn.complete(new Turn(published, false));
                } else if (tryLease(instanceId, holder)) {
                    // The other fetch let go without a token; if the waiter gave up meanwhile, so does this one.
                    if (!turn.complete(new Turn(Optional.empty(), true))) {
                        shared.release(instanceId, holder);
                    }
                } else if (Instant.now(clock).plus(delay).isAfter(until)) {
                    turn.complete(new Turn(Optional.empty(), false));
                } else {
                    Duration next = delay.multipliedBy(2);
                    checkLater(instanceId, holder, until,
                            next.compareTo(LONGEST_INTERVAL) > 0 ? LONGEST_INTERVAL : next, turn, checks);
                }
            } catch (RuntimeException e) {
                turn.completeExceptionally(e);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

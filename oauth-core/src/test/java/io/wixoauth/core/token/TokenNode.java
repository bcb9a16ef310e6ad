package io.wixoauth.core.token;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wixoauth.api.Secret;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.api.installation.InstallationFailed;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.audit.AuditKeys;
import io.wixoauth.core.audit.DefaultAuditService;
import io.wixoauth.core.audit.GroupedAppends;
import io.wixoauth.core.audit.ReadSummaries;
import io.wixoauth.core.audit.ReadSummaryWriter;
import io.wixoauth.core.audit.Unwritten;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.relay.EventOutbox;
import io.wixoauth.core.testing.TestDatabase;
import io.wixoauth.core.wix.RetryBudget;
import io.wixoauth.core.wix.TestWixSettings;
import io.wixoauth.core.wix.WixBackoff;
import io.wixoauth.core.wix.WixGate;
import io.wixoauth.core.wix.Apps;
import io.wixoauth.core.wix.SecretRefusals;
import io.wixoauth.core.wix.WixOAuthClient;
import io.wixoauth.persistence.app.AppRepository;
import io.wixoauth.core.wix.WixSettings;
import io.wixoauth.persistence.audit.AuditRepository;
import io.wixoauth.persistence.crypto.KeyRing;
import io.wixoauth.persistence.crypto.TokenEncryption;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationRepository;
import io.wixoauth.persistence.relay.RelayRepository;
import io.wixoauth.persistence.token.SharedTokenRepository;
import io.wixoauth.simulator.WixSimulator;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.config.Config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

import static io.wixoauth.core.testing.Wiring.call;
import static io.wixoauth.core.testing.Wiring.set;

/**
 * One node of the service's token path without a container: the production classes of {@code io.wixoauth.core.token}
 * and what they call (installations, the Wix client over a real MicroProfile REST Client, the fallback, the audit
 * trail, the outbox), wired as CDI would wire them, on a {@link TestDatabase} that several nodes may share, against
 * the in-process Wix simulator. What the container adds and these tests do without: Fault Tolerance's retries and
 * circuit breaker (Wix answers here), the metrics registry (counted here by name), the read summaries' timer
 * ({@link #flushAudit}).
 */
final class TokenNode implements AutoCloseable {

    /** The time every bean of the node reads, as the container's {@code SystemClock} produces it. */
    private static final java.time.Clock CLOCK = java.time.Clock.systemUTC();

    final DefaultAccessTokenService tokens = new DefaultAccessTokenService();
    final AccessTokenCache cache = new AccessTokenCache();
    final Installations installations;
    final CountingMetrics metrics = new CountingMetrics();
    private final ReadSummaries reads = new ReadSummaries();
    private final ScheduledExecutorService timers = new ScheduledThreadPoolExecutor(2);
    private final ExecutorService background = Executors.newFixedThreadPool(4);
    final RefreshAhead ahead;
    final Apps apps;

    TokenNode(TestDatabase db, WixSimulator wix) {
        this(db, wix, Map.of());
    }

    /** A node with settings of its own on top of the usual ones ({@code oauth.refresh-ahead.*}, say). */
    TokenNode(TestDatabase db, WixSimulator wix, Map<String, String> settings) {
        this(db, wix, settings, Duration.ofSeconds(60));
    }

    TokenNode(TestDatabase db, WixSimulator wix, Map<String, String> extra, Duration refreshSkew) {
        Config config = config(wix, extra);
        ahead = set(new RefreshAhead(), "config", config);
        call(ahead, "load");
        WixSettings settings = TestWixSettings.from(config);

        EventOutbox outbox = new TransactionalOutbox(db);
        set(outbox, "repository", set(new RelayRepository(), "em", db.entityManager()));
        set(outbox, "clock", CLOCK);
        set(outbox, "committed", nothingObserves(Event.class));

        apps = set(new Apps(), "settings", settings);
        set(apps, "repository", set(new AppRepository() {
            @Override
            public java.util.List<io.wixoauth.persistence.app.StoredApp> all() {
                return db.supports(super::all); // as the container's EntityManager reads outside a transaction
            }
        }, "em", db.entityManager()));
        set(apps, "clock", CLOCK);
        SecretRefusals refusals = set(new SecretRefusals(), "metrics", metrics);
        set(refusals, "clock", CLOCK);
        set(refusals, "outbox", outbox);

        WixOAuthClient client = new WixOAuthClient();
        set(client, "settings", settings);
        set(client, "apps", apps);
        set(client, "refusals", refusals);
        set(client, "metrics", metrics);
        set(client, "gate", set(new WixGate(), "breakerDelayMillis", 5000L));
        set(client, "budget", new RetryBudget());
        call(client, "connect");

        AuditService trail = transactional(db, AuditService.class, auditService(db, config));
        GroupedAppends appends = set(new GroupedAppends(), "trail", trail);
        Audit audit = set(new Audit(), "appends", appends);
        set(reads, "trail", trail);
        set(reads, "clock", CLOCK);
        set(reads, "unwritten", set(new Unwritten(), "metrics", metrics));
        set(reads, "interval", Duration.ofMinutes(1));
        set(reads, "logEachRead", false);

        installations = new TransactionalInstallations(db);
        set(installations, "repository", set(new InstallationRepository(), "em", db.entityManager()));
        set(installations, "settings", settings);
        set(installations, "outbox", outbox);
        set(installations, "clock", CLOCK);
        set(installations, "changes", db.event(cache::forgetShared, cache::onInstallationChanged));

        ClientCredentialsFallback fallback = new ClientCredentialsFallback();
        set(fallback, "installations", installations);
        set(fallback, "wix", client);
        set(fallback, "audit", audit);
        set(fallback, "metrics", metrics);
        set(fallback, "clock", CLOCK);

        TokenFetch fetch = new TokenFetch();
        set(fetch, "installations", installations);
        set(fetch, "wix", client);
        set(fetch, "apps", apps);
        set(fetch, "fallback", fallback);
        set(fetch, "backoff", new WixBackoff());
        set(fetch, "outbox", outbox);
        set(fetch, "metrics", metrics);
        set(fetch, "clock", CLOCK);

        SharedTokens shared = new TransactionalSharedTokens(db);
        set(shared, "repository", set(new SharedTokenRepository(), "em", db.entityManager()));
        set(shared, "apps", apps);
        set(shared, "clock", CLOCK);

        ClusterFetch cluster = new ClusterFetch();
        set(cluster, "shared", shared);
        set(cluster, "clock", CLOCK);
        set(cluster, "metrics", metrics);
        set(cluster, "scheduler", managed(ManagedScheduledExecutorService.class, ScheduledExecutorService.class, timers));
        set(cluster, "lease", Duration.ofSeconds(10));
        set(cluster, "refreshSkew", refreshSkew);

        set(cache, "refreshSkew", refreshSkew);
        set(cache, "ahead", ahead);
        set(cache, "maxAge", Duration.ofSeconds(30));
        set(cache, "shared", shared);
        set(cache, "clock", CLOCK);

        set(tokens, "cache", cache);
        set(tokens, "cluster", cluster);
        set(tokens, "wix", fetch);
        set(tokens, "reads", reads);
        set(tokens, "metrics", metrics);
        set(tokens, "clock", CLOCK);
        set(tokens, "apps", apps);
        set(tokens, "background", managed(ManagedExecutorService.class, ExecutorService.class, background));
        tokens.limitFetching(64);
    }

    /** The token encryption key ring every node of a test reads its sealed refresh tokens with. */
    static void installEncryptionKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        TokenEncryption.install(KeyRing.parse("test:" + Base64.getEncoder().encodeToString(key), "test"));
    }

    /** What the container does at shutdown: every token read summed up in the trail, the open interval's too. */
    void flushAudit() {
        call(set(new ReadSummaryWriter(), "summaries", reads), "flushOnShutdown");
    }

    Optional<Installation> installation(InstanceId instanceId) {
        return installations.find(instanceId);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        background.shutdownNow();
    }

    private static Config config(WixSimulator wix, Map<String, String> extra) {
        byte[] auditKey = new byte[32];
        new java.security.SecureRandom().nextBytes(auditKey);
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "wix.app-id", wix.appId(),
                "wix.app-secret", wix.appSecret(),
                "wix.api-base-url", wix.baseUrl().toString(),
                "wix.www-base-url", wix.baseUrl().toString(),
                "oauth.upstream.connect-timeout", "PT2S",
                "oauth.upstream.read-timeout", "PT5S",
                "oauth.redirect-url", "http://127.0.0.1:8080/oauth/callback",
                "oauth.audit.keys", "t1:" + Base64.getEncoder().encodeToString(auditKey),
                "oauth.audit.active-key", "t1"));
        settings.putAll(extra);
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(settings, "token-node", 100)).build();
    }

    private static DefaultAuditService auditService(TestDatabase db, Config config) {
        AuditKeys keys = set(new AuditKeys(), "config", config);
        call(keys, "load");
        DefaultAuditService audit = new DefaultAuditService();
        set(audit, "repository", set(new AuditRepository(), "em", db.entityManager()));
        set(audit, "keys", keys);
        set(audit, "metrics", new CountingMetrics());
        set(audit, "clock", CLOCK);
        return audit;
    }

    /** An interface's calls each in a transaction of its own, as the EJB container runs a REQUIRES_NEW bean's. */
    @SuppressWarnings("unchecked")
    private static <T> T transactional(TestDatabase db, Class<T> type, T bean) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) ->
                db.requiresNew(() -> {
                    try {
                        return method.invoke(bean, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    /** A CDI {@code Event} nobody here observes: firing it does nothing, as with no observer in the container. */
    @SuppressWarnings("unchecked")
    private static <T> T nothingObserves(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> null);
    }

    /**
     * A Jakarta managed executor ({@code managed}) whose {@code plain} part runs on a plain pool: the methods both
     * declare go to {@code pool}; the Jakarta-only ones are unused by the token path.
     */
    @SuppressWarnings("unchecked")
    private static <M, P> M managed(Class<M> managed, Class<P> plain, P pool) {
        return (M) Proxy.newProxyInstance(managed.getClassLoader(), new Class<?>[]{managed}, (proxy, method, args) -> {
            try {
                return plain.getMethod(method.getName(), method.getParameterTypes()).invoke(pool, args);
            } catch (NoSuchMethodException e) {
                throw new UnsupportedOperationException(method.getName() + " is not used by the token path");
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    /** The metrics the service reports, counted by name (and tag), as {@code /metrics} would show them. */
    static final class CountingMetrics extends ServiceMetrics {
        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        long count(String name) {
            AtomicLong count = counts.get(name);
            return count == null ? 0 : count.get();
        }

        private void add(String name) {
            counts.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void auditUnwritten(long count) {
            counts.computeIfAbsent("audit unwritten", n -> new AtomicLong()).addAndGet(count);
        }

        @Override
        public void fallback(String app, String reason) {
            add("fallback " + reason);
        }

        @Override
        public void clientRefused(String appId) {
            add("client refused");
        }

        @Override
        public void refresh(String app, String outcome) {
            add("refresh " + outcome);
        }

        @Override
        public void upstreamCall(String endpoint, Duration duration, Outcome outcome) {
            add("upstream " + endpoint);
        }

        @Override
        public void clusterWait(Duration waited, int checks) {
            add("cluster wait");
        }

        @Override
        public void tokenCache(boolean hit) {
            add(hit ? "cache hit" : "cache miss");
        }

        @Override
        public void tokenReadWaited() {
            add("read waited");
        }

        @Override
        public void tokenFetched(String trigger) {
            add("fetched " + trigger);
        }

        @Override
        public void wixCall(String app, String api, int status, Duration duration) {
            add("wix " + api + " " + status);
        }

        @Override
        public void wixCallThrottled(String app, String by) {
            add("wix throttled");
        }

        @Override
        public void auditEntry() {
            add("audit entry");
        }
    }

    private static final class TransactionalInstallations extends Installations {
        private final TestDatabase db;

        TransactionalInstallations(TestDatabase db) {
            this.db = db;
        }

        @Override
        public Optional<Installation> find(InstanceId instanceId) {
            return db.supports(() -> super.find(instanceId));
        }

        @Override
        public void recordInstall(InstanceId instanceId, io.wixoauth.api.installation.AppId appId, Secret refreshToken) {
            db.requiresNew(() -> super.recordInstall(instanceId, appId, refreshToken));
        }

        @Override
        public boolean recordFallback(InstallationFailed failure) {
            return db.requiresNew(() -> super.recordFallback(failure));
        }

        @Override
        public void confirmFallback(InstanceId instanceId) {
            db.requiresNew(() -> super.confirmFallback(instanceId));
        }

        @Override
        public void abandonUnconfirmed(InstanceId instanceId) {
            db.requiresNew(() -> super.abandonUnconfirmed(instanceId));
        }

        @Override
        public void recordFallbackOutcome(InstanceId instanceId, String outcome) {
            db.requiresNew(() -> super.recordFallbackOutcome(instanceId, outcome));
        }

        @Override
        public void recordReturnedRefreshToken(InstanceId instanceId, Secret refreshToken) {
            db.requiresNew(() -> super.recordReturnedRefreshToken(instanceId, refreshToken));
        }

        @Override
        public boolean recordAppRemoved(InstanceId instanceId, io.wixoauth.api.installation.AppId appId,
                                        java.time.Instant occurredAt) {
            return db.requiresNew(() -> super.recordAppRemoved(instanceId, appId, occurredAt));
        }

        @Override
        public void switchToClientCredentials(InstanceId instanceId) {
            db.requiresNew(() -> super.switchToClientCredentials(instanceId));
        }
    }

    private static final class TransactionalSharedTokens extends SharedTokens {
        private final TestDatabase db;

        TransactionalSharedTokens(TestDatabase db) {
            this.db = db;
        }

        @Override
        public Optional<IssuedAccessToken> fresh(InstanceId instanceId, Duration validFor) {
            return db.supports(() -> super.fresh(instanceId, validFor));
        }

        @Override
        public boolean tryLease(InstanceId instanceId, String holder, Duration lease) {
            return db.requiresNew(() -> super.tryLease(instanceId, holder, lease));
        }

        @Override
        public boolean publish(IssuedAccessToken token, String holder) {
            return db.requiresNew(() -> super.publish(token, holder));
        }

        @Override
        public void release(InstanceId instanceId, String holder) {
            db.requiresNew(() -> super.release(instanceId, holder));
        }

        @Override
        public void forget(java.util.Collection<InstanceId> instanceIds) {
            super.forget(instanceIds); // in the caller's transaction
        }
    }

    private static final class TransactionalOutbox extends EventOutbox {
        private final TestDatabase db;

        TransactionalOutbox(TestDatabase db) {
            this.db = db;
        }

        @Override
        public void recordAlone(io.wixoauth.core.relay.RelayEvent event) {
            db.requiresNew(() -> super.recordAlone(event));
        }
    }
}

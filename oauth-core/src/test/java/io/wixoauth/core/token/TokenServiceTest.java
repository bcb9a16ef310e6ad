package io.wixoauth.core.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.error.InstallationGoneException;
import io.wixoauth.api.error.UnknownInstanceException;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.api.token.TokenSource;
import io.wixoauth.core.testing.TestDatabase;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationMode;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.WixSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The token service's decisions without a container, in seconds: the production classes of this package and what
 * they call, on a real H2 database, against the in-process Wix simulator over real HTTP ({@link TokenNode}). What is
 * asserted is what Wix and a backend see: how many calls reached Wix, which token was served, what was stored.
 */
class TokenServiceTest {

    private WixSimulator wix;
    private TestDatabase db;
    private TokenNode node;

    @BeforeAll
    static void encryptionKey() {
        TokenNode.installEncryptionKey();
    }

    @BeforeEach
    void start() {
        wix = WixSimulator.start();
        db = new TestDatabase();
        node = new TokenNode(db, wix);
    }

    @AfterEach
    void stop() {
        node.close();
        db.close();
        wix.close();
    }

    @Test
    void manyCallersForAColdInstanceCauseOneCallToWixAndAllGetItsToken() throws Exception {
        InstanceId instance = InstanceId.of(wix.installApp());

        List<IssuedAccessToken> served = concurrently(32, () -> node.tokens.accessTokenFor(instance));
        IssuedAccessToken later = node.tokens.accessTokenFor(instance);

        assertThat(wix.calls(Endpoint.CREATE_ACCESS_TOKEN)).as("client-credentials calls for 33 requests").isEqualTo(1);
        assertThat(served.stream().map(t -> t.token().reveal()).collect(Collectors.toSet()))
                .as("tokens served").hasSize(1).containsExactly(later.token().reveal());
        assertThat(wix.isLiveAccessToken(later.token().reveal())).as("the token is one Wix issued").isTrue();
        assertThat(later.source()).isEqualTo(TokenSource.CLIENT_CREDENTIALS);
        assertThat(later.expiresAt()).isBetween(Instant.now().plusSeconds(3 * 3600), Instant.now().plusSeconds(4 * 3600));
        assertThat(node.metrics.count("cache miss")).as("requests that caused the call").isEqualTo(1);
        assertThat(node.metrics.count("cache hit")).isEqualTo(32);
    }

    @Test
    void anInstallWithARefreshTokenIsServedByItAndTheTokenIsKeptEncrypted() {
        InstanceId instance = InstanceId.of(wix.installApp());
        String refreshToken = wix.issueRefreshToken(instance.value());
        node.installations.recordInstall(instance, node.apps.defaultAppId(), Secret.of(refreshToken));

        IssuedAccessToken token = node.tokens.accessTokenFor(instance);

        assertThat(token.source()).isEqualTo(TokenSource.REFRESH_TOKEN);
        assertThat(wix.isLiveAccessToken(token.token().reveal())).isTrue();
        assertThat(wix.calls(Endpoint.OAUTH_ACCESS)).isEqualTo(1);
        assertThat(wix.calls(Endpoint.CREATE_ACCESS_TOKEN)).isZero();
        assertThat(node.metrics.count("refresh ok")).isEqualTo(1);
        assertThat(storedRefreshTokenColumn(instance)).as("the column").doesNotContain(refreshToken);
    }

    @Test
    void aRefusedRefreshTokenFallsBackWithOneClientCredentialsCallWhoseTokenIsServedAndKeepsTheStoredToken() {
        InstanceId instance = InstanceId.of(wix.installApp());
        String refreshToken = wix.issueRefreshToken(instance.value());
        node.installations.recordInstall(instance, node.apps.defaultAppId(), Secret.of(refreshToken));
        wix.revokeRefreshToken(instance.value());

        IssuedAccessToken token = node.tokens.accessTokenFor(instance);

        assertThat(token.source()).isEqualTo(TokenSource.CLIENT_CREDENTIALS);
        assertThat(wix.calls(Endpoint.CREATE_ACCESS_TOKEN)).as("client-credentials calls").isEqualTo(1);
        assertThat(wix.isLiveAccessToken(token.token().reveal())).as("the fallback's own token is served").isTrue();
        Installation after = node.installation(instance).orElseThrow();
        assertThat(after.getMode()).isEqualTo(InstallationMode.CLIENT_CREDENTIALS_FALLBACK);
        assertThat(after.getFailureReason()).contains("client credentials verified");
        assertThat(after.refreshToken()).as("the refused token, kept as evidence").contains(Secret.of(refreshToken));
        assertThat(node.metrics.count("refresh rejected")).isEqualTo(1);
        assertThat(node.metrics.count("fallback refresh_token_rejected")).isEqualTo(1);
        assertThat(auditActions(instance)).contains("install.fallback");

        node.tokens.accessTokenFor(instance);
        assertThat(wix.calls(Endpoint.OAUTH_ACCESS)).as("refresh attempts: the refused token is not tried again")
                .isEqualTo(1);
    }

    @Test
    void twoNodesOnOneDatabaseCallWixOnceForAColdInstance() throws Exception {
        InstanceId instance = InstanceId.of(wix.installApp());
        try (TokenNode other = new TokenNode(db, wix)) {
            List<Callable<IssuedAccessToken>> callers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                callers.add(() -> node.tokens.accessTokenFor(instance));
                callers.add(() -> other.tokens.accessTokenFor(instance));
            }

            List<IssuedAccessToken> served = concurrently(callers);

            assertThat(wix.calls(Endpoint.CREATE_ACCESS_TOKEN)).as("calls to Wix from both nodes").isEqualTo(1);
            assertThat(served.stream().map(t -> t.token().reveal()).collect(Collectors.toSet())).hasSize(1);
            assertThat(node.metrics.count("cluster wait") + other.metrics.count("cluster wait"))
                    .as("waits for the other node: at most the one flight of the node that lost the lease")
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void anInstanceWixDoesNotKnowIsUnknownAndLeavesNothingBehind() {
        InstanceId stranger = InstanceId.of(java.util.UUID.randomUUID().toString());

        assertThatThrownBy(() -> node.tokens.accessTokenFor(stranger)).isInstanceOf(UnknownInstanceException.class);

        assertThat(node.installation(stranger)).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM shared_access_token WHERE token IS NOT NULL")).isZero();
    }

    @Test
    void anUninstalledInstanceIsGoneWithoutAskingWix() {
        InstanceId instance = InstanceId.of(wix.installApp());
        node.installations.recordInstall(instance, node.apps.defaultAppId(), Secret.of(wix.issueRefreshToken(instance.value())));
        node.installations.recordAppRemoved(instance, node.apps.defaultAppId(), Instant.now());

        assertThatThrownBy(() -> node.tokens.accessTokenFor(instance)).isInstanceOf(InstallationGoneException.class);

        assertThat(wix.calls(Endpoint.OAUTH_ACCESS) + wix.calls(Endpoint.CREATE_ACCESS_TOKEN)).isZero();
    }

    @Test
    void tokensServedToABackendAreAuditedUnderItsNameSummedUp() {
        InstanceId instance = InstanceId.of(wix.installApp());

        node.tokens.serveTo("billing-backend", null, instance, "req-1");
        node.tokens.serveTo("billing-backend", null, instance, "req-2");
        node.flushAudit();

        assertThat(db.supports(() -> jdbc("SELECT actor, outcome, details FROM audit_entry WHERE action = "
                + "'token.served' AND instance_id = '" + instance.value() + "'")))
                .singleElement().asString().startsWith("billing-backend client_credentials {\"count\":2,\"firstAt\":");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static <T> List<T> concurrently(int callers, Callable<T> call) throws Exception {
        List<Callable<T>> all = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            all.add(call);
        }
        return concurrently(all);
    }

    /** All callers start together, so they meet the cold instance at once. */
    private static <T> List<T> concurrently(List<Callable<T>> callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers.size());
        try {
            CountDownLatch ready = new CountDownLatch(callers.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> caller : callers) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return caller.call();
                }));
            }
            ready.await(10, TimeUnit.SECONDS);
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private String storedRefreshTokenColumn(InstanceId instance) {
        return jdbc("SELECT refresh_token FROM installation WHERE instance_id = '" + instance.value() + "'").get(0);
    }

    private Set<String> auditActions(InstanceId instance) {
        return Set.copyOf(jdbc("SELECT action FROM audit_entry WHERE instance_id = '" + instance.value() + "'"));
    }

    private long count(String sql) {
        return Long.parseLong(jdbc(sql).get(0));
    }

    /** Each row's columns, joined by spaces. */
    private List<String> jdbc(String sql) {
        return db.supports(() -> {
            @SuppressWarnings("unchecked")
            List<Object> rows = db.entityManager().createNativeQuery(sql).getResultList();
            return rows.stream().map(row -> row instanceof Object[] columns
                    ? java.util.Arrays.stream(columns).map(String::valueOf).collect(Collectors.joining(" "))
                    : String.valueOf(row)).toList();
        });
    }
}

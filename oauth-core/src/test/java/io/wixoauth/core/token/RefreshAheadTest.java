package io.wixoauth.core.token;

import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.core.testing.TestDatabase;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.SimulatorSettings;
import io.wixoauth.simulator.WixSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh ahead, as a backend and Wix see it, over real time: Wix's tokens here live 4 s, a node serves one until 1 s
 * before it expires, and fetches the next in the last half of that (settings a production deployment would not use,
 * so that several expiries pass in seconds). Busy readers never wait for Wix; an instance nobody reads is left to
 * expire; two nodes fetch once per expiry between them.
 */
class RefreshAheadTest {

    private static final Duration LIFETIME = Duration.ofSeconds(4);
    private static final Duration SKEW = Duration.ofSeconds(1);
    private static final Map<String, String> AHEAD = Map.of("oauth.refresh-ahead.window", "50%",
            "oauth.refresh-ahead.min-reads", "5", "oauth.refresh-ahead.interval", "PT1S");

    private WixSimulator wix;
    private TestDatabase db;

    @BeforeAll
    static void encryptionKey() {
        TokenNode.installEncryptionKey();
    }

    @BeforeEach
    void start() {
        wix = WixSimulator.start(SimulatorSettings.random().withClientCredentialsLifetime(LIFETIME), 0);
        db = new TestDatabase();
    }

    @AfterEach
    void stop() {
        db.close();
        wix.close();
    }

    @Test
    void readersOfABusyInstanceWaitForWixOnlyForItsFirstTokenAndAnIdleInstanceIsLeftToExpire() throws Exception {
        InstanceId busy = InstanceId.of(wix.installApp());
        InstanceId idle = InstanceId.of(wix.installApp());
        try (TokenNode node = new TokenNode(db, wix, AHEAD, SKEW)) {
            node.tokens.accessTokenFor(idle);
            node.tokens.accessTokenFor(busy);
            assertThat(node.metrics.count("read waited")).as("the first read of each instance").isEqualTo(2);

            readFor(Duration.ofSeconds(9), List.of(node, node), busy);

            assertThat(node.metrics.count("read waited")).as("reads that waited for Wix since").isEqualTo(2);
            assertThat(node.metrics.count("fetched ahead")).as("refreshes ahead in 9 s of 4 s tokens")
                    .isGreaterThanOrEqualTo(3);
            assertThat(node.metrics.count("fetched on_demand")).as("fetches a reader waited for").isEqualTo(2);
            assertThat(issuedFor(idle)).as("tokens Wix issued for the instance nobody read again").isEqualTo(1);
            assertThat(issuedFor(busy)).as("tokens Wix issued for the busy instance")
                    .isEqualTo(1 + node.metrics.count("fetched ahead"));
        }
    }

    @Test
    void twoNodesReadingOneBusyInstanceFetchEachNextTokenOnceBetweenThem() throws Exception {
        InstanceId busy = InstanceId.of(wix.installApp());
        try (TokenNode one = new TokenNode(db, wix, AHEAD, SKEW); TokenNode two = new TokenNode(db, wix, AHEAD, SKEW)) {
            one.tokens.accessTokenFor(busy);
            two.tokens.accessTokenFor(busy);
            long waitedBefore = one.metrics.count("read waited") + two.metrics.count("read waited");

            List<IssuedAccessToken> served = readFor(Duration.ofSeconds(9), List.of(one, one, two, two), busy);

            // Each token once, by its first expiry seen (a node that took it from the database reads it to the
            // database's precision).
            List<Instant> expiries = served.stream().collect(Collectors.toMap(token -> token.token().reveal(),
                            IssuedAccessToken::expiresAt, (a, b) -> a.isBefore(b) ? a : b)).values().stream()
                    .sorted(Comparator.naturalOrder()).toList();
            assertThat(issuedFor(busy)).as("tokens Wix issued: each one served").isEqualTo(expiries.size() + 0L)
                    .isGreaterThanOrEqualTo(3);
            for (int i = 1; i < expiries.size(); i++) {
                assertThat(Duration.between(expiries.get(i - 1), expiries.get(i)))
                        .as("between two tokens of the instance: one fetch per expiry, not one per node")
                        .isGreaterThan(Duration.ofMillis(900));
            }
            assertThat(one.metrics.count("read waited") + two.metrics.count("read waited"))
                    .as("reads that waited for Wix after the first on each node").isEqualTo(waitedBefore);
        }
    }

    @Test
    void aReaderWhoseTokenIsStillGoodDoesNotWaitForARefreshAheadThatIsSlowToCome() throws Exception {
        InstanceId busy = InstanceId.of(wix.installApp());
        try (TokenNode node = new TokenNode(db, wix, AHEAD, SKEW)) {
            node.cache.maxAge = Duration.ofMillis(200); // the node looks in the database again every 200 ms
            node.tokens.accessTokenFor(busy);
            long waitedBefore = node.metrics.count("read waited");
            wix.failNext(Endpoint.CREATE_ACCESS_TOKEN, 1, Fault.delay(Duration.ofMillis(1000))); // the next fetch is slow

            readFor(Duration.ofSeconds(4), List.of(node, node), busy);

            assertThat(node.metrics.count("fetched ahead")).as("the slow refresh ahead, and the next").isGreaterThanOrEqualTo(1);
            assertThat(node.metrics.count("read waited") - waitedBefore)
                    .as("reads that waited for Wix while their token was good: they take it from the database").isZero();
        }
    }

    /** Readers (one per node listed) reading the instance back to back for {@code length}; every token served. */
    private static List<IssuedAccessToken> readFor(Duration length, List<TokenNode> readers, InstanceId instance)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(readers.size());
        Set<IssuedAccessToken> served = ConcurrentHashMap.newKeySet();
        List<String> late = Collections.synchronizedList(new ArrayList<>());
        Instant end = Instant.now().plus(length);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (TokenNode reader : readers) {
                running.add(pool.submit(() -> {
                    while (Instant.now().isBefore(end)) {
                        IssuedAccessToken token = reader.tokens.accessTokenFor(instance);
                        if (!token.isValidFor(SKEW.minusMillis(100), Instant.now())) {
                            late.add(token.expiresAt().toString());
                        }
                        served.add(token);
                        Thread.sleep(5);
                    }
                    return null;
                }));
            }
            for (Future<?> reader : running) {
                reader.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(late).as("tokens served with less than the skew left").isEmpty();
        return List.copyOf(served);
    }

    private long issuedFor(InstanceId instance) {
        return wix.issuedSecrets().stream()
                .filter(secret -> wix.instanceOfAccessToken(secret).filter(instance.value()::equals).isPresent())
                .count();
    }
}

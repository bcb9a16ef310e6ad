package io.wixoauth.web.faults;

import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import org.jboss.arquillian.container.test.api.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wix misbehaving (issue 5, fault injection): throttling with and without {@code Retry-After}, a sustained outage
 * under load, and one installation's grant revoked while the others stay healthy. The service stays up, serves every
 * healthy installation, backs off without a retry storm (the simulator counts every call), and recovers by itself.
 */
@ServiceIT
class WixFaultsIT {

    private static final Endpoint CREATE_TOKEN = Endpoint.CREATE_ACCESS_TOKEN;

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();

    @AfterEach
    void clearFaults() {
        wix.clearFaults();
    }

    @Test
    void aThrottledInstanceIsNotRetriedAtOnceAndWixsRetryAfterIsPassedOn() throws Exception {
        String instanceId = wix.installApp();
        wix.failNext(CREATE_TOKEN, 1, Fault.throttled("2"));
        int before = wix.calls(CREATE_TOKEN);

        HttpResponse<String> throttled = env.accessToken(instanceId);
        HttpResponse<String> meanwhile = env.accessToken(instanceId);

        assertThat(throttled.statusCode()).isEqualTo(503);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("2");
        assertThat(Http.json(throttled).getString("error")).isEqualTo("upstream_unavailable");
        assertThat(meanwhile.statusCode()).isEqualTo(503);
        assertThat(Long.parseLong(meanwhile.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
        assertThat(wix.calls(CREATE_TOKEN) - before).as("no retry inside Wix's Retry-After").isEqualTo(1);

        Thread.sleep(2100);
        assertThat(env.accessToken(instanceId).statusCode()).isEqualTo(200);
        assertThat(wix.calls(CREATE_TOKEN) - before).isEqualTo(2);
    }

    @Test
    void throttlingWithoutRetryAfterBacksOffLongerEachTime() throws Exception {
        String instanceId = wix.installApp();
        wix.failNext(CREATE_TOKEN, 2, Fault.status(429));
        int before = wix.calls(CREATE_TOKEN);

        HttpResponse<String> first = env.accessToken(instanceId);
        assertThat(first.headers().firstValue("Retry-After")).contains("1");
        Thread.sleep(1100);
        HttpResponse<String> second = env.accessToken(instanceId);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Retry-After")).as("doubled").contains("2");
        assertThat(wix.calls(CREATE_TOKEN) - before).isEqualTo(2);

        Thread.sleep(2100);
        assertThat(env.accessToken(instanceId).statusCode()).isEqualTo(200);
    }

    @Test
    void aSustainedOutageUnderLoadCostsWixAFewCallsNotAStormAndCachedInstancesAreStillServed() throws Exception {
        String cached = wix.installApp();
        assertThat(env.accessToken(cached).statusCode()).isEqualTo(200);
        String uncached = wix.installApp();
        wix.failNext(CREATE_TOKEN, 10_000, Fault.status(503)); // Wix is down for everyone from here on
        int before = wix.calls(CREATE_TOKEN);

        Load load = hammer(List.of(uncached, cached), 16, Duration.ofSeconds(6));

        int callsDuringOutage = wix.calls(CREATE_TOKEN) - before;
        assertThat(load.served(cached)).as("the cached instance is served throughout").isEqualTo(load.sent(cached));
        assertThat(load.sent(uncached)).isGreaterThan(100);
        assertThat(load.served(uncached)).isZero();
        assertThat(load.wellFormed503s()).as("every other answer is a 503 with Retry-After, never a 500").isEqualTo(load.sent(uncached));
        // Fetches at about 0 s, 1 s, 3 s (backing off 1, 2, 4 s), each one call and three retries.
        assertThat(callsDuringOutage).as("calls to Wix for " + load.sent(uncached) + " requests").isBetween(4, 16);

        wix.clearFaults();
        assertThat(eventually(() -> env.accessToken(uncached).statusCode(), status -> status == 200, Duration.ofSeconds(10)))
                .as("recovers by itself once Wix is back").isEqualTo(200);
        assertThat(wix.rateLimited()).as("never over Wix's per-instance rate limit").isZero();
    }

    @Test
    void aRevokedGrantOnOneInstallationFallsBackWhileTheOthersKeepTheirRefreshTokens() throws Exception {
        String revoked = Installs.withRefreshToken(env);
        List<String> healthy = List.of(Installs.withRefreshToken(env), Installs.withRefreshToken(env));
        Object ciphertext = env.database().installation(revoked).get("refresh_token");
        wix.revokeRefreshToken(revoked);
        Thread.sleep(5500); // every cached access token is now stale: each needs its refresh token again

        HttpResponse<String> fellBack = env.accessToken(revoked);

        assertThat(fellBack.statusCode()).isEqualTo(200);
        assertThat(Http.json(fellBack).getString("source")).isEqualTo("client_credentials");
        assertThat(env.database().installation(revoked)).containsEntry("mode", "CLIENT_CREDENTIALS_FALLBACK")
                .containsEntry("state", "REFRESH_TOKEN_REJECTED").containsEntry("refresh_token", ciphertext);
        for (String instanceId : healthy) {
            HttpResponse<String> response = env.accessToken(instanceId);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Http.json(response).getString("source")).isEqualTo("refresh_token");
            assertThat(env.database().installation(instanceId)).containsEntry("mode", "REFRESH_TOKEN");
        }
    }

    private record Load(List<String> instances, AtomicInteger[] sent, AtomicInteger[] served, AtomicInteger unavailable) {
        int sent(String instanceId) {
            return sent[instances.indexOf(instanceId)].get();
        }

        int served(String instanceId) {
            return served[instances.indexOf(instanceId)].get();
        }

        int wellFormed503s() {
            return unavailable.get();
        }
    }

    /** {@code clients} loops, each asking for the instances in turn; counts 200s and well-formed 503s per instance. */
    private Load hammer(List<String> instances, int clients, Duration duration) throws Exception {
        AtomicInteger[] sent = new AtomicInteger[instances.size()];
        AtomicInteger[] served = new AtomicInteger[instances.size()];
        for (int i = 0; i < instances.size(); i++) {
            sent[i] = new AtomicInteger();
            served[i] = new AtomicInteger();
        }
        AtomicInteger unavailable = new AtomicInteger();
        String bearer = env.bearer("token-reader");
        Instant end = Instant.now().plus(duration);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            loops.add(pool.submit(() -> {
                for (int n = 0; Instant.now().isBefore(end); n++) {
                    int i = n % instances.size();
                    HttpResponse<String> response = Http.get(env.tokenUri(instances.get(i)), bearer);
                    sent[i].incrementAndGet();
                    if (response.statusCode() == 200) {
                        served[i].incrementAndGet();
                    } else if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()
                            && "upstream_unavailable".equals(Http.json(response).getString("error"))) {
                        unavailable.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> loop : loops) {
            loop.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        return new Load(instances, sent, served, unavailable);
    }

}

package io.wixoauth.web.token;

import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.Concurrently;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import org.jboss.arquillian.container.test.api.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access tokens from stored refresh tokens (protocol section 4). In this environment a refresh-token access token
 * goes stale 5 seconds after it is issued (see ServiceEnvironment), so expiry is seen without waiting minutes.
 */
@ServiceIT
class RefreshTokenIT {

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();

    @AfterEach
    void clearFaults() {
        wix.clearFaults();
    }

    @Test
    void twoHundredConcurrentRequestsForAnExpiredInstallationMakeOneRefresh() throws Exception {
        String instanceId = Installs.withRefreshToken(env);
        assertThat(env.accessToken(instanceId).statusCode()).isEqualTo(200);
        Thread.sleep(5500); // the cached access token is now stale
        // Slow enough that the burst meets the refresh in flight; the token it brings stays fresh (5 s in the ITs)
        // until the last of the 200 is answered, even on a slow machine.
        wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.delay(Duration.ofMillis(700)));
        int before = wix.calls(Endpoint.OAUTH_ACCESS);
        String bearer = env.bearer("token-reader");

        List<HttpResponse<String>> responses = Concurrently.run(200, () -> Http.get(env.tokenUri(instanceId), bearer));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(responses.stream().map(r -> Http.json(r).getString("source")).distinct()).containsExactly("refresh_token");
        assertThat(wix.calls(Endpoint.OAUTH_ACCESS) - before).as("refreshes for 200 concurrent requests").isEqualTo(1);
    }

    @Test
    void aRefusedRefreshTokenFallsBackToClientCredentialsAndKeepsTheCiphertext() {
        String instanceId = Installs.withRefreshToken(env);
        Object ciphertext = env.database().installation(instanceId).get("refresh_token");
        wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.invalidGrant());

        HttpResponse<String> response = env.accessToken(instanceId);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Http.json(response).getString("source")).isEqualTo("client_credentials");
        Map<String, Object> row = env.database().installation(instanceId);
        assertThat(row).containsEntry("mode", "CLIENT_CREDENTIALS_FALLBACK").containsEntry("state", "REFRESH_TOKEN_REJECTED");
        assertThat((String) row.get("failure_reason")).contains("REFRESH_TOKEN_REJECTED");
        assertThat(row.get("refresh_token")).as("evidence kept until an operator decides").isEqualTo(ciphertext);
    }

    @Test
    void serverErrorsOnRefreshAreRetriedAndTheInstallationKeepsItsMode() {
        String instanceId = Installs.withRefreshToken(env);
        wix.failNext(Endpoint.OAUTH_ACCESS, 2, Fault.status(502));
        int before = wix.calls(Endpoint.OAUTH_ACCESS);

        HttpResponse<String> response = env.accessToken(instanceId);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Http.json(response).getString("source")).isEqualTo("refresh_token");
        assertThat(wix.calls(Endpoint.OAUTH_ACCESS) - before).isEqualTo(3);
        assertThat(env.database().installation(instanceId)).containsEntry("mode", "REFRESH_TOKEN");
    }

    @Test
    void aCiphertextCopiedFromAnotherInstallationIsNotUsed() {
        String victim = Installs.withRefreshToken(env);
        String other = Installs.withRefreshToken(env);
        env.database().update("UPDATE installation SET refresh_token = (SELECT refresh_token FROM installation WHERE instance_id = ?) "
                + "WHERE instance_id = ?", other, victim);
        int before = wix.calls(Endpoint.OAUTH_ACCESS);

        HttpResponse<String> response = env.accessToken(victim);

        assertThat(Http.json(response).getString("source")).isEqualTo("client_credentials");
        assertThat(wix.calls(Endpoint.OAUTH_ACCESS)).as("the other installation's token never reached Wix").isEqualTo(before);
        assertThat((String) env.database().installation(victim).get("failure_reason")).contains("REFRESH_TOKEN_UNREADABLE");
    }

}

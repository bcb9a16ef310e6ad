package io.wixoauth.web.token;

import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.Concurrently;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The token API as a backend uses it, against the built WAR on Payara Micro and the Wix simulator. */
@ServiceIT
class AccessTokenIT {

    private static final Endpoint CREATE_TOKEN = Endpoint.CREATE_ACCESS_TOKEN;

    @ArquillianResource
    URL base;

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();

    @AfterEach
    void clearFaults() {
        wix.clearFaults();
    }

    @Test
    void servesAClientCredentialsTokenFromWixAndThenFromTheCache() {
        String instanceId = wix.installApp();
        int before = wix.calls(CREATE_TOKEN);

        HttpResponse<String> first = env.accessToken(instanceId);
        HttpResponse<String> second = env.accessToken(instanceId);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        JsonObject token = Http.json(first);
        assertThat(token.getString("source")).isEqualTo("client_credentials");
        assertThat(wix.isLiveAccessToken(token.getString("access_token"))).isTrue();
        assertThat(Instant.parse(token.getString("expires_at")))
                .isBetween(Instant.now().plus(Duration.ofHours(4)).minusSeconds(120), Instant.now().plus(Duration.ofHours(4)));
        assertThat(Http.json(second).getString("access_token")).isEqualTo(token.getString("access_token"));
        assertThat(wix.calls(CREATE_TOKEN) - before).as("upstream calls for two requests").isEqualTo(1);
    }

    @Test
    void twoHundredConcurrentRequestsForAnUncachedInstanceMakeOneUpstreamCall() {
        String instanceId = wix.installApp();
        // Wix answers slowly, so every request arrives while the first fetch is still in flight.
        wix.failNext(CREATE_TOKEN, 1, Fault.delay(Duration.ofMillis(700)));
        int before = wix.calls(CREATE_TOKEN);
        String bearer = env.bearer("token-reader");

        List<HttpResponse<String>> responses = Concurrently.run(200, () -> Http.get(env.tokenUri(instanceId), bearer));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(responses.stream().map(r -> Http.json(r).getString("access_token")).distinct()).hasSize(1);
        assertThat(wix.calls(CREATE_TOKEN) - before).as("upstream calls for 200 concurrent requests").isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetried() {
        String instanceId = wix.installApp();
        wix.failNext(CREATE_TOKEN, 1, Fault.status(500));
        wix.failNext(CREATE_TOKEN, 1, Fault.status(502));
        int before = wix.calls(CREATE_TOKEN);

        HttpResponse<String> response = env.accessToken(instanceId);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(wix.calls(CREATE_TOKEN) - before).isEqualTo(3);
    }

    @Test
    void timeoutsDroppedConnectionsAndGarbledAnswersAreRetried() {
        String instanceId = wix.installApp();
        wix.failNext(CREATE_TOKEN, 1, Fault.delay(Duration.ofSeconds(3)));
        wix.failNext(CREATE_TOKEN, 1, Fault.drop());
        wix.failNext(CREATE_TOKEN, 1, Fault.malformedJson());
        int before = wix.calls(CREATE_TOKEN);

        HttpResponse<String> response = env.accessToken(instanceId);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(wix.calls(CREATE_TOKEN) - before).isEqualTo(4);
    }

    @Test
    void anOutageEndsInAClearErrorAfterBoundedRetriesAndTheServiceRecoversAfterwards() throws InterruptedException {
        String instanceId = wix.installApp();
        wix.failNext(CREATE_TOKEN, 4, Fault.status(503));
        int before = wix.calls(CREATE_TOKEN);

        HttpResponse<String> failed = env.accessToken(instanceId);

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.headers().firstValue("Retry-After")).isPresent();
        assertThat(Http.json(failed).getString("error")).isEqualTo("upstream_unavailable");
        assertThat(failed.body()).doesNotContain("Exception").doesNotContain("at io.");
        assertThat(wix.calls(CREATE_TOKEN) - before).as("one call and three retries").isEqualTo(4);

        HttpResponse<String> paused = env.accessToken(instanceId);
        assertThat(paused.statusCode()).isEqualTo(503);
        assertThat(wix.calls(CREATE_TOKEN) - before).as("backing off: no call at once after a failed fetch").isEqualTo(4);
        Thread.sleep(1000L * Long.parseLong(paused.headers().firstValue("Retry-After").orElseThrow()));

        HttpResponse<String> recovered = env.accessToken(instanceId);

        assertThat(recovered.statusCode()).as("nothing was cached from the failure").isEqualTo(200);
        assertThat(wix.calls(CREATE_TOKEN) - before).isEqualTo(5);
    }

    @Test
    void anInstanceWithoutTheAppIsUnknownAndTheRefusalIsNotRetriedOrCached() {
        String instanceId = java.util.UUID.randomUUID().toString(); // the app is not installed there
        int before = wix.calls(CREATE_TOKEN);

        HttpResponse<String> refused = env.accessToken(instanceId);

        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(Http.json(refused).getString("error")).isEqualTo("unknown_instance");
        assertThat(wix.calls(CREATE_TOKEN) - before).isEqualTo(1);

        wix.installApp(instanceId);
        assertThat(env.accessToken(instanceId).statusCode()).isEqualTo(200);
    }

    @Test
    void malformedInstanceIdsAreRefusedWithoutCallingWix() {
        int before = wix.calls(CREATE_TOKEN);
        String bearer = env.bearer("token-reader");
        for (String id : List.of("not-a-uuid", "3fa85f64-5717-4562-b3fc-2c963f66afa", "%27%20OR%201%3D1--",
                "3fa85f64-5717-4562-b3fc-2c963f66afa6%0d%0aX-Injected:1", "%3Cscript%3E", "..%2F..%2Fetc%2Fpasswd")) {
            HttpResponse<String> response = Http.get(URI.create(base + "api/v1/instances/" + id + "/access-token"), bearer);

            assertThat(response.statusCode()).as(id).isBetween(400, 404);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(Http.json(response).containsKey("error")).isTrue();
            assertThat(response.body()).doesNotContain("<script").doesNotContain("Exception");
        }
        HttpResponse<String> plain = Http.get(URI.create(base + "api/v1/instances/not-a-uuid/access-token"), bearer);
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(Http.json(plain).getString("error")).isEqualTo("invalid_request");
        assertThat(wix.calls(CREATE_TOKEN)).isEqualTo(before);
    }

    @Test
    void unknownAddressesAndMethodsAnswerInJson() {
        HttpResponse<String> missing = Http.get(URI.create(base + "no/such/thing"), null);
        HttpResponse<String> wrongMethod = Http.send(HttpRequest.newBuilder(env.tokenUri(wix.installApp()))
                .header("Authorization", "Bearer " + env.bearer("token-reader"))
                .DELETE().build());

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Http.json(missing).getString("error")).isEqualTo("not_found");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(Http.json(wrongMethod).getString("error")).isEqualTo("method_not_allowed");
    }

    @Test
    void tokensServedAreAuditedSummedUpUnderTheirCallerAndTheRequestIdTiesTheLogLinesTogether() throws Exception {
        String instanceId = wix.installApp();
        wix.failNext(CREATE_TOKEN, 1, Fault.status(500));
        String requestId = "it-" + java.util.UUID.randomUUID();
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(env.tokenUri(instanceId))
                .header("Authorization", "Bearer " + env.bearer("token-reader")).header("X-Request-Id", requestId).build());
        HttpResponse<String> again = Http.send(HttpRequest.newBuilder(env.tokenUri(instanceId))
                .header("Authorization", "Bearer " + env.bearer("token-reader")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue(requestId);
        // Both reads in one entry (oauth.audit.read-interval is 2 s here), or in two when an interval ended between them.
        jakarta.json.JsonArray served = awaitAudit("token.served", instanceId, 2);
        assertThat(served.getJsonObject(0).getString("instanceId")).isEqualTo(instanceId);
        assertThat(served.getJsonObject(0).getString("actor")).startsWith("backend-");
        assertThat(served.getJsonObject(0).getString("outcome")).isEqualTo("client_credentials");
        assertThat(served.getJsonObject(0).getString("details")).contains("\"firstAt\"").contains("\"lastAt\"");
        assertThat(awaitLogLine("[request " + requestId + "] Wix create access token")).isTrue();
    }

    @Test
    void readinessReportsTheDatabase() {
        HttpResponse<String> ready = Http.get(URI.create(base + "health/ready"), null);

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\"").contains("\"token-encryption\"").doesNotContain("DOWN");
    }

    /** The entries of one instance only: the shared test database holds thousands of others by now. */
    /** The summaries of {@code action} for the instance, once their counts add up to {@code reads}. */
    private jakarta.json.JsonArray awaitAudit(String action, String instanceId, int reads) {
        var mine = eventually(() -> Http.jsonArray(Http.get(URI.create(base + "api/admin/audit?action=" + action
                        + "&instanceId=" + instanceId + "&cursor=0&limit=500"), env.bearer("oauth-auditor"))).stream()
                        .map(v -> v.asJsonObject()).toList(),
                found -> found.stream().mapToInt(AccessTokenIT::count).sum() >= reads, java.time.Duration.ofSeconds(10));
        assertThat(mine.stream().mapToInt(AccessTokenIT::count).sum()).as(action + " reads counted").isEqualTo(reads);
        return jakarta.json.Json.createArrayBuilder(mine).build();
    }

    private static int count(jakarta.json.JsonObject summary) {
        return Http.json(summary.getString("details")).getInt("count");
    }

    private boolean awaitLogLine(String text) {
        return eventually(() -> {
            try {
                return env.serverLogs().values().stream().anyMatch(log -> log.contains(text));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, java.time.Duration.ofSeconds(10));
    }
}

package io.wixoauth.core.proxy;

import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import jakarta.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A body Wix stops sending after its headers is cut off after the allowed silence, read through the JDK client the
 * proxy uses, from the simulator over real HTTP; a body that keeps coming is read whole.
 */
class StallGuardTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private WixSimulator wix;

    private final StallGuard guard = new StallGuard(Duration.ofMillis(500));

    @BeforeEach
    void start() {
        wix = WixSimulator.start();
        long every = guard.checkEvery().toMillis();
        scheduler.scheduleWithFixedDelay(guard::cutSilent, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        wix.close();
    }

    @Test
    void aBodyThatStallsIsCutOffAfterTheAllowedSilence() throws Exception {
        String token = accessToken();
        wix.failNext(Endpoint.CONTACTS, 1, Fault.stall(Duration.ofSeconds(20)));
        HttpResponse<InputStream> answer = contacts(token);
        assertThat(answer.statusCode()).isEqualTo(200);

        long started = System.nanoTime();
        try (InputStream body = guard.watch(answer.body())) {
            assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("stalled");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
        assertThat(guard.watched()).as("bodies still watched").isZero();
    }

    @Test
    void aBodyThatKeepsComingIsReadWhole() throws Exception {
        HttpResponse<InputStream> answer = contacts(accessToken());

        try (InputStream body = guard.watch(answer.body())) {
            assertThat(new String(body.readAllBytes())).startsWith("{").contains("contacts");
        }
        assertThat(guard.watched()).as("bodies still watched").isZero();
    }

    private HttpResponse<InputStream> contacts(String token) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(wix.baseUrl() + "/contacts/v4/contacts"))
                .header("Authorization", token).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Client credentials (protocol section 1), as the service gets them. */
    private String accessToken() throws IOException, InterruptedException {
        String body = Json.createObjectBuilder().add("grant_type", "client_credentials").add("client_id", wix.appId())
                .add("client_secret", wix.appSecret()).add("instance_id", wix.installApp()).build().toString();
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(wix.baseUrl() + "/oauth2/token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.createReader(new StringReader(answer.body())).readObject().getString("access_token");
    }
}

package io.wixoauth.ear;

import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.IdentityProvider;
import io.wixoauth.simulator.ServiceWiring;
import io.wixoauth.simulator.SimulatorSettings;
import io.wixoauth.simulator.WixSimulator;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test of the EAR on a full Payara Server 6 from Maven Central: a fresh domain, configured only through
 * environment variables (as an operator would), serves the same token API as the WAR on Payara Micro.
 */
class EarOnPayaraServerIT {

    private static final Path PAYARA = Path.of(System.getProperty("payara.home", "target/payara-server/payara6"));
    private static final Path EAR = Path.of(System.getProperty("service.ear", "target/oauth-ear.ear"));
    private static final Path DIR = Path.of(System.getProperty("it.dir", "target/it")).toAbsolutePath();
    private static final String DOMAIN = "smoke";

    private static WixSimulator wix;
    private static IdentityProvider idp;
    private static int portBase;
    private static Map<String, String> environment;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startServerAndDeploy() throws Exception {
        portBase = freePortBase();
        wix = WixSimulator.start(SimulatorSettings.random().withRedirectUrls(List.of(ServiceWiring.redirectUrl(portBase + 80))), 0);
        idp = IdentityProvider.generate();
        deleteRecursively(DIR); // a domain left by an earlier run would make create-domain fail
        Files.createDirectories(DIR);
        Path publicKey = Files.writeString(DIR.resolve("idp-public.pem"), idp.publicKeyPem());
        environment = ServiceWiring.to(wix, publicKey, ServiceWiring.h2File(DIR.resolve("db/oauth")), portBase + 80)
                .asEnvironment();
        asadmin("create-domain", "--nopassword", "--portbase", String.valueOf(portBase),
                "--domaindir", DIR.resolve("domains").toString(), DOMAIN);
        asadmin("start-domain", "--domaindir", DIR.resolve("domains").toString(), DOMAIN);
        asadmin("--port", String.valueOf(portBase + 48), "deploy", "--name", "oauth", EAR.toAbsolutePath().toString());
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            asadmin("stop-domain", "--kill", "--domaindir", DIR.resolve("domains").toString(), DOMAIN);
        } finally {
            if (wix != null) {
                wix.close();
            }
        }
    }

    @Test
    void servesAndCachesAClientCredentialsToken() throws Exception {
        String instanceId = wix.installApp();
        String bearer = idp.issue("backend", List.of("token-reader"), Duration.ofMinutes(5));

        HttpResponse<String> first = get("/api/v1/instances/" + instanceId + "/access-token", bearer);
        HttpResponse<String> second = get("/api/v1/instances/" + instanceId + "/access-token", bearer);

        assertThat(first.statusCode()).isEqualTo(200);
        JsonObject token = json(first);
        assertThat(token.getString("source")).isEqualTo("client_credentials");
        assertThat(wix.isLiveAccessToken(token.getString("access_token"))).isTrue();
        assertThat(json(second).getString("access_token")).isEqualTo(token.getString("access_token"));
        assertThat(wix.calls(Endpoint.CREATE_ACCESS_TOKEN)).isEqualTo(1);
    }

    @Test
    void refusesAnonymousCallersAndMalformedIds() throws Exception {
        String bearer = idp.issue("backend", List.of("token-reader"), Duration.ofMinutes(5));

        HttpResponse<String> anonymous = get("/api/v1/instances/" + wix.installApp() + "/access-token", null);
        HttpResponse<String> malformed = get("/api/v1/instances/nope/access-token", bearer);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).getString("error")).isEqualTo("unauthorized");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).getString("error")).isEqualTo("invalid_request");
    }

    @Test
    void isReadyWithItsDatabase() throws Exception {
        HttpResponse<String> ready = get("/health/ready", null);

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\"");
    }

    private HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (portBase + 80) + path))
                .timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    /** Runs asadmin with the service's configuration in its environment, which start-domain hands to the server. */
    private static void asadmin(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PAYARA.resolve("bin/asadmin").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(DIR.resolve("asadmin.log").toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("asadmin " + args[0] + " did not finish in 5 minutes");
        }
        assertThat(process.exitValue()).as("asadmin " + String.join(" ", args) + " (see " + DIR.resolve("asadmin.log") + ")")
                .isZero();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** A base whose admin (+48) and HTTP (+80) ports, and the others a domain opens up to +100, are free now. */
    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + (int) (Math.random() * 400) * 100;
            if (free(base + 48) && free(base + 80) && free(base + 81) && free(base + 76) && free(base + 86)
                    && free(base + 37) && free(base + 38) && free(base + 39) && free(base + 66) && free(base + 9)) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range for Payara Server");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

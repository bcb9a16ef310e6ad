package io.wixoauth.simulator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wix's official JavaScript SDK, unchanged, against the simulator ({@code src/test/sdk/conformance.mjs}): install,
 * callback, tokens in every mode, token info, an app API, webhook verification; and the README's Node example for
 * receiving relayed events. It needs Node.js 18 or later and
 * npm, so it runs in the {@code sdk} profile ({@code mvn -B test -Psdk -pl wix-simulator}), which CI runs.
 */
class SdkConformanceTest {

    private static final Path SUITE = Path.of("src/test/sdk");
    private static final String REDIRECT = "https://app.example.com/oauth/callback";

    @Test
    void theOfficialSdkWorksAgainstTheSimulatorOnEveryPathItTakes() throws Exception {
        installPackages();
        try (WixSimulator wix = WixSimulator.start(SimulatorSettings.random().withRedirectUrls(List.of(REDIRECT)), 0)) {
            CommandRun result = run(List.of("node", "conformance.mjs"), Map.of("SIMULATOR", wix.baseUrl().toString(),
                    "APP_ID", wix.appId(), "APP_SECRET", wix.appSecret(), "REDIRECT_URL", REDIRECT), 120);

            assertThat(result.output()).as("the SDK's paths").doesNotContain("not ok").contains("1..15");
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output().lines().filter(line -> line.startsWith("ok ")).count()).isEqualTo(15);
            // The SDK really spoke to this simulator, on each endpoint it knows.
            for (Endpoint endpoint : List.of(Endpoint.CREATE_ACCESS_TOKEN, Endpoint.OAUTH_ACCESS, Endpoint.TOKEN_INFO,
                    Endpoint.INSTALLER_INSTALL, Endpoint.GET_APP_INSTANCE, Endpoint.BI_EVENT)) {
                assertThat(wix.calls(endpoint)).as(endpoint.path()).isPositive();
            }
        }
    }

    /**
     * The README's Node example for receiving relayed events ({@code verify-event.mjs}, the same lines), with the
     * {@code standardwebhooks} npm package, accepts an event signed by the Standard Webhooks Java library the service
     * signs with (whsec_ secret, two signatures during a rotation) and refuses an altered one.
     */
    @Test
    void theReadmesNodeExampleVerifiesARelayedEventAndRefusesAnAlteredOne() throws Exception {
        installPackages();
        String example = Files.readString(SUITE.resolve("verify-event.mjs"));
        String readme = Files.readString(Path.of("../README.md"));
        for (String line : example.lines().filter(l -> l.startsWith("const event") || l.startsWith("console.log")
                || l.startsWith("import ")).toList()) {
            assertThat(readme).as("the README shows the example as it runs here").contains(line);
        }
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(key);
        String previous = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String body = "{\"type\":\"installation.completed\",\"timestamp\":\"" + java.time.Instant.now()
                + "\",\"data\":{\"mode\":\"client_credentials\",\"instanceId\":\"3fa85f64-5717-4562-b3fc-2c963f66afa6\"}}";
        long now = java.time.Instant.now().getEpochSecond();
        String signatures = new com.standardwebhooks.Webhook(previous).sign("evt_1", now, body) + " "
                + new com.standardwebhooks.Webhook(secret).sign("evt_1", now, body);
        String headers = "{\"webhook-id\":\"evt_1\",\"webhook-timestamp\":\"" + now
                + "\",\"webhook-signature\":\"" + signatures + "\"}";

        CommandRun verified = run(List.of("node", "verify-event.mjs"),
                Map.of("EVENT_BODY", body, "EVENT_HEADERS", headers, "EVENTS_SECRET", secret), 60);
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output().strip()).isEqualTo("installation.completed 3fa85f64-5717-4562-b3fc-2c963f66afa6");

        CommandRun altered = run(List.of("node", "verify-event.mjs"), Map.of("EVENT_BODY", body.replace("client_credentials",
                "refresh_token"), "EVENT_HEADERS", headers, "EVENTS_SECRET", secret), 60);
        assertThat(altered.exitCode()).as("an altered body is refused").isNotZero();
        assertThat(altered.output()).contains("No matching signature");
    }

    private static void installPackages() throws IOException, InterruptedException {
        if (!Files.isDirectory(SUITE.resolve("node_modules/@wix/sdk"))
                || !Files.isDirectory(SUITE.resolve("node_modules/standardwebhooks"))) {
            CommandRun installed = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
            assertThat(installed.exitCode()).as("npm ci: %s", installed.output()).isZero();
        }
    }

    private static CommandRun run(List<String> command, Map<String, String> environment, int seconds)
            throws IOException, InterruptedException {
        return CommandRun.of(SUITE, command, environment, seconds);
    }
}

package io.wixoauth.simulator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wix's official JavaScript SDK, unchanged, against the simulator ({@code src/test/sdk/conformance.mjs}): install,
 * callback, tokens in every mode, token info, an app API, webhook verification. It needs Node.js 18 or later and
 * npm, so it runs in the {@code sdk} profile ({@code mvn -B test -Psdk -pl wix-simulator}), which CI runs.
 */
class SdkConformanceTest {

    private static final Path SUITE = Path.of("src/test/sdk");
    private static final String REDIRECT = "https://app.example.com/oauth/callback";

    @Test
    void theOfficialSdkWorksAgainstTheSimulatorOnEveryPathItTakes() throws Exception {
        if (!Files.isDirectory(SUITE.resolve("node_modules/@wix/sdk"))) {
            Result installed = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
            assertThat(installed.exitCode()).as("npm ci: %s", installed.output()).isZero();
        }
        try (WixSimulator wix = WixSimulator.start(SimulatorSettings.random().withRedirectUrls(List.of(REDIRECT)), 0)) {
            Result result = run(List.of("node", "conformance.mjs"), Map.of("SIMULATOR", wix.baseUrl().toString(),
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

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Map<String, String> environment, int seconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(SUITE.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path output = Files.createTempFile("sdk-conformance", ".log");
        Process process = builder.redirectOutput(output.toFile()).start();
        boolean finished = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        assertThat(finished).as("%s finished within %d s:%n%s", command, seconds, text).isTrue();
        return new Result(process.exitValue(), text);
    }
}

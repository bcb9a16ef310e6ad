package io.wixoauth.web.examples;

import io.wixoauth.simulator.CommandRun;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Node example ({@code examples/node/contacts.mjs}): Wix's official {@code @wix/sdk} and its
 * {@code @wix/crm} contacts module, unchanged, against the service and the simulator, once through the proxy and once
 * with an authentication strategy whose headers come from the token API. It needs Node.js and npm (the packages come
 * from the npm registry, pinned by the lock file), so it runs with {@code -Pnode}, which CI uses.
 */
@ServiceIT
class NodeExampleIT {

    private static final Path EXAMPLES = Path.of("../examples").toAbsolutePath().normalize();
    private static final Path EXAMPLE = EXAMPLES.resolve("node");

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();

    @Test
    void theOfficialSdkCallsWixThroughTheServiceAndWithItsTokens() throws Exception {
        if (!Files.isDirectory(EXAMPLE.resolve("node_modules/@wix/crm"))) {
            CommandRun installed = CommandRun.of(EXAMPLE, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
            assertThat(installed.exitCode()).as("npm ci: %s", installed.output()).isZero();
        }
        String readme = Files.readString(EXAMPLES.resolveSibling("README.md"));
        String shown = readme.substring(readme.indexOf("## Calling Wix"));
        shown = shown.substring(shown.indexOf("```js") + 5, shown.indexOf("```", shown.indexOf("```js") + 5));
        String script = Files.readString(EXAMPLE.resolve("contacts.mjs"));
        assertThat(shown.lines().filter(line -> !line.isBlank()).toList()).as("the README shows the example as it runs")
                .isNotEmpty().allSatisfy(line -> assertThat(script).contains(line));

        String instance = wix.installApp();
        int tokenCalls = wix.calls(Endpoint.CREATE_ACCESS_TOKEN);

        CommandRun run = CommandRun.of(EXAMPLE, List.of("node", "contacts.mjs"), Map.of(
                "SERVICE_URL", env.service().toString().replaceAll("/$", ""), "INSTANCE_ID", instance,
                "BACKEND_TOKEN", env.bearer("wix-caller", "token-reader"), "API_BASE_URL", wix.baseUrl().toString()), 120);

        assertThat(run.exitCode()).as(run.output()).isZero();
        String id = run.output().lines().filter(line -> line.startsWith("created through the service: "))
                .map(line -> line.split(" ")[4]).findFirst().orElseThrow(() -> new AssertionError(run.output()));
        assertThat(run.output()).contains("created through the service: " + id + " Ada Lovelace")
                .contains("read with a token from the service: " + id + " revision 1");
        assertThat(wix.calls(Endpoint.CREATE_ACCESS_TOKEN) - tokenCalls).as("one token, cached, for both ways")
                .isEqualTo(1);
    }
}

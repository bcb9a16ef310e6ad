package io.wixoauth.web.demo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.wixoauth.web.support.Eventually;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a newcomer meets it: started the way {@code run.sh} starts it, under the usual umask of 022. Its data
 * folder is its owner's alone, every command its banner prints works when pasted into a shell, and its server log is
 * plain text without warnings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoIT {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Path data;
    private Process demo;
    private final List<String> banner = new ArrayList<>();
    /** What the demo prints after its banner: its backend's verified events. */
    private final List<String> afterBanner = java.util.Collections.synchronizedList(new ArrayList<>());
    private String logAtStart;

    @BeforeAll
    void startTheDemo() throws Exception {
        data = Files.createTempDirectory("demo-it").resolve("data");
        String command = "umask 022; exec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " -cp '" + System.getProperty("java.class.path") + "' io.wixoauth.simulator.demo.Demo"
                + " --war '" + System.getProperty("service.war") + "'"
                + " --payara-micro '" + System.getProperty("payara.micro.jar") + "'"
                + " --data '" + data + "' --port " + freePort() + " --simulator-port " + freePort();
        demo = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        CompletableFuture<Boolean> printed = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(printed), "demo-output");
        reader.setDaemon(true);
        reader.start();
        assertThat(printed.get(3, TimeUnit.MINUTES)).as("the demo printed its banner: %s", banner).isTrue();
        logAtStart = Files.readString(data.resolve("logs/server.log"));
    }

    @AfterAll
    void stopTheDemo() throws InterruptedException {
        if (demo != null) {
            demo.toHandle().descendants().forEach(ProcessHandle::destroy);
            demo.destroy();
            demo.waitFor(30, TimeUnit.SECONDS);
            demo.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    @Test
    void theDemosSecretsAndDatabaseAreReadableByTheirOwnerOnly() throws IOException {
        try (Stream<Path> paths = Files.walk(data)) {
            List<Path> all = paths.filter(p -> !Files.isSymbolicLink(p)).toList();
            assertThat(all).extracting(p -> data.relativize(p).toString())
                    .contains("demo-app.properties", "service.properties", "keys/demo-idp.jwk.json", "logs/server.log",
                            "tokens/backend.jwt", "tokens/operator.jwt");
            assertThat(all).allSatisfy(path -> assertThat(PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(path))).as(data.relativize(path).toString())
                    .isIn("rwx------", "rw-------"));
        }
    }

    /**
     * Runs every command of the banner, in order, in one bash as a newcomer pasting them would. A command whose comment
     * names a status must answer that status; every other must answer JSON that is not an error.
     */
    @Test
    void everyCommandTheBannerPrintsWorksWhenPasted() throws Exception {
        assertThat(String.join("\n", banner)).doesNotContain("\u001b").doesNotContain("<token>").doesNotContain("<same");
        List<String> commands = banner.stream().map(String::strip)
                .filter(line -> line.startsWith("curl ") || line.startsWith("ID=") || line.startsWith("sleep "))
                .toList();
        assertThat(commands).as("commands in the banner").hasSizeGreaterThanOrEqualTo(10);
        String demoSite = firstUuid(String.join("\n", banner));

        StringBuilder script = new StringBuilder("set -u\n");
        for (int i = 0; i < commands.size(); i++) {
            script.append("echo '>>> ").append(i).append("'\n").append(commands.get(i)).append("\necho\n");
        }
        Process bash = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();

        String[] answers = output.split(">>> \\d+\n", -1);
        assertThat(answers).as(output).hasSize(commands.size() + 1);
        String newSite = null;
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            String answer = answers[i + 1].strip();
            Matcher expected = Pattern.compile("# (\\d{3}):").matcher(command);
            if (expected.find()) {
                assertThat(answer).as(command).startsWith("HTTP/1.1 " + expected.group(1))
                        .contains("\"error\":").contains("\"error_description\":");
            } else if (command.startsWith("ID=")) {
                newSite = firstUuid(answer);
            } else if (!command.startsWith("sleep ")) {
                assertThat(answer).as(command).matches("(?s)^[\\[{].*[}\\]]$").doesNotContain("\"error\":");
            }
            if (command.contains("/access-token") && !command.contains("# ")) {
                assertThat(answer).as(command).contains("\"access_token\":").contains("\"source\":\"client_credentials\"");
            }
            if (command.endsWith("/api/admin/installations")) {
                assertThat(answer).as("the demo site, installed by its AppInstalled webhook").contains(demoSite);
            }
            if (command.endsWith("/api/admin/installations/$ID")) {
                assertThat(answer).as("the new site after its plan and its uninstall")
                        .contains("webhook.AppInstalled").contains("webhook.PaidPlanPurchased")
                        .contains("\"state\":\"UNINSTALLED\"");
            }
            if (command.contains("/simulator/instances/$ID/")) {
                assertThat(answer).as("the service took the simulator's webhook").contains("\"status\":200");
            }
        }
        assertThat(newSite).isNotNull().isNotEqualTo(demoSite);
        String site = newSite;
        List<String> expected = List.of("wix.AppInstalled", "installation.completed", "wix.PaidPlanPurchased",
                "wix.AppRemoved", "installation.uninstalled");
        assertThat(Eventually.eventually(() -> expected.stream().allMatch(type -> printedEvent(type, site))))
                .as("your backend printed each event of the new site: %s", afterBanner).isTrue();
    }

    private boolean printedEvent(String type, String site) {
        synchronized (afterBanner) {
            return afterBanner.stream().anyMatch(line -> line.startsWith("[your backend] " + type + " for site " + site)
                    && line.endsWith("(signature verified)"));
        }
    }

    @Test
    void theServerLogIsPlainTextWithoutWarningsAtStart() {
        String log = logAtStart;

        assertThat(log).as("terminal colour codes").doesNotContain("\u001b");
        assertThat(log).contains("[INFO]").doesNotContain("[WARNING]").doesNotContain("[SEVERE]");
    }

    /** Reads the demo's output: the banner (completing {@code printed}), then whatever it prints later. */
    private void readOutput(CompletableFuture<Boolean> printed) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            boolean started = false;
            String line;
            while ((line = out.readLine()) != null) {
                if (printed.isDone()) {
                    afterBanner.add(line);
                    continue;
                }
                started |= line.contains("Wix OAuth service is ready at");
                banner.add(line);
                if (started && line.contains("Stop with Ctrl-C")) {
                    printed.complete(true);
                }
            }
        } catch (IOException e) {
            // the demo ended
        }
        printed.complete(false);
    }

    private static String firstUuid(String text) {
        Matcher matcher = UUID.matcher(text);
        assertThat(matcher.find()).as("an instance id in: %s", text).isTrue();
        return matcher.group();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

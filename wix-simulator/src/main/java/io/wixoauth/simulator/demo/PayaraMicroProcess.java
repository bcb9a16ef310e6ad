package io.wixoauth.simulator.demo;

import io.wixoauth.simulator.ServiceWiring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The service's WAR on a Payara Micro child process, bound to loopback, with its log in a file (demo and cluster tests). */
public final class PayaraMicroProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final URI baseUrl;

    /** The JVM option docs/production.md gives every Payara running the service. */
    public static final String JSON_PROVIDER = "jakarta.json.provider=org.eclipse.parsson.JsonProviderImpl";

    /** Payara Micro keeps running when the application fails to deploy; its log says so in one of these ways. */
    private static final String DEPLOYMENT_FAILED = "Exception while loading the app";
    private static final String PAYARA_READY = ") ready in "; // "Payara Micro 6.x (build n) ready in 9,699 (ms)"

    private PayaraMicroProcess(Process process, Path log, URI baseUrl) {
        this.process = process;
        this.log = log;
        this.baseUrl = baseUrl;
    }

    /** Starts Payara Micro with {@code systemProperties} as the service's configuration. */
    public static PayaraMicroProcess start(Path payaraMicroJar, Path war, Path workDir, int port, Properties systemProperties)
            throws IOException {
        Files.createDirectories(workDir.resolve("logs"));
        Path propertiesFile = workDir.resolve("service.properties");
        try (var out = Files.newBufferedWriter(propertiesFile)) {
            systemProperties.store(out, "Written by the demo at every start; edit the demo, not this file");
        }
        PrivateFiles.restrict(workDir); // the app secret and the key are in that file

        Path preboot = Files.writeString(workDir.resolve("preboot.asadmin"), ServiceWiring.PREBOOT_COMMANDS);
        Path logging = workDir.resolve("logging.properties");
        Files.writeString(logging, ServiceWiring.payaraFile("logging.properties"));
        // A fresh Payara root every time: a kept one remembers the last deployment, redeploys it at start and then
        // deploys the WAR again, so the service would vanish for a moment after reporting ready. Our data is elsewhere.
        Path payaraRoot = workDir.resolve("payara");
        deleteRecursively(payaraRoot);
        Path log = workDir.resolve("logs/server.log");
        Process process = new ProcessBuilder(privately(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                // Its garbage collector's pauses, next to server.log: what a slow answer's time may have gone to.
                "-Xlog:gc:file=" + log.resolveSibling("gc.log"),
                // Lets JSON-P find its provider by name instead of scanning service files on every Json.createXxx call
                // Payara makes itself (MP-JWT, health); see io.wixoauth.api.Jsonp and docs/production.md.
                "-D" + JSON_PROVIDER,
                "-jar", payaraMicroJar.toString(),
                "--deploy", war.toString(),
                "--contextroot", "/",
                "--port", String.valueOf(port),
                "--nohazelcast", // --nocluster would still open Hazelcast's port 6900 on every interface
                "--rootdir", payaraRoot.toString(),
                "--systemproperties", propertiesFile.toString(),
                "--prebootcommandfile", preboot.toString(),
                "--logproperties", logging.toString())))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new PayaraMicroProcess(process, log, URI.create("http://127.0.0.1:" + port));
    }

    /**
     * {@code command} under umask 077 where there is a POSIX shell: whatever Payara creates in the data folder, and
     * whenever (its transaction log appears with a later transaction), is its owner's alone, not only what
     * {@link PrivateFiles#restrict} finds at the moments it runs. {@code exec} keeps the Java process's own pid.
     */
    private static List<String> privately(List<String> command) {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return command;
        }
        List<String> wrapped = new java.util.ArrayList<>(List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$@\""));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Waits until {@code /health/ready} answers 200 with the service's own database check in it: Payara answers UP with
     * no checks at all while the application is still deploying. False if the process died, the deployment failed, or
     * time ran out; {@link #lastLines(int)} then tells why.
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(baseUrl.resolve("/health/ready")).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        int answersWithoutTheService = 0;
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            boolean answered = false;
            try {
                HttpResponse<String> answer = client.send(ready, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().contains("\"database\"")) {
                    return true;
                }
                answered = true;
            } catch (IOException e) {
                // Not listening yet.
            }
            String written = logText();
            if (written.contains(DEPLOYMENT_FAILED)) {
                return false;
            }
            // Payara Micro stays up, "ready", when the WAR failed to deploy: 10 s of answers after it said so, give up.
            // (Not sooner: on two busy cores the service's checks have been seen to join the answer 2 s after "ready".)
            if (answered && written.contains(PAYARA_READY) && ++answersWithoutTheService > 20) {
                return false;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** The last {@code count} lines of the server log, to say why a start failed. */
    public List<String> lastLines(int count) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - count), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
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

    private String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public long pid() {
        return process.pid();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** The JVM's garbage-collection log ({@code -Xlog:gc}), one line per collection with its pause. */
    public Path gcLog() {
        return log.resolveSibling("gc.log");
    }

    public Path log() {
        return log;
    }

    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once, as a crash would: no shutdown hooks, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package io.wixoauth.web.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo `run.sh` starts, as a newcomer runs it, under the usual umask of 022: once it is ready, its data folder
 * (the app secret, the token and audit keys, the identity provider's private key, the database, the log) is its
 * owner's alone.
 */
class DemoFilesIT {

    @TempDir
    Path root;

    @Test
    void theDemosSecretsAndDatabaseAreReadableByTheirOwnerOnly() throws Exception {
        Path data = root.resolve("data");
        String command = "umask 022; exec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " -cp '" + System.getProperty("java.class.path") + "' io.wixoauth.simulator.demo.Demo"
                + " --war '" + System.getProperty("service.war") + "'"
                + " --payara-micro '" + System.getProperty("payara.micro.jar") + "'"
                + " --data '" + data + "' --port " + freePort() + " --simulator-port " + freePort();
        Process demo = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        try {
            assertThat(readyWithin(demo, Duration.ofMinutes(3))).as("the demo says it is ready").isTrue();

            try (Stream<Path> paths = Files.walk(data)) {
                List<Path> all = paths.filter(p -> !Files.isSymbolicLink(p)).toList();
                assertThat(all).extracting(p -> data.relativize(p).toString())
                        .contains("demo-app.properties", "service.properties", "keys/demo-idp.jwk.json", "logs/server.log");
                assertThat(all).allSatisfy(path -> assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(path))).as(data.relativize(path).toString())
                        .isIn("rwx------", "rw-------"));
            }
        } finally {
            demo.toHandle().descendants().forEach(ProcessHandle::destroy);
            demo.destroy();
            demo.waitFor(30, TimeUnit.SECONDS);
            demo.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    private static boolean readyWithin(Process demo, Duration limit) throws Exception {
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.contains("Wix OAuth service is ready at")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        Instant deadline = Instant.now().plus(limit);
        while (!ready.isDone() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        return ready.isDone() && ready.get();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

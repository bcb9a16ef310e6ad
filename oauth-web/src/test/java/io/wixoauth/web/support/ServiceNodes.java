package io.wixoauth.web.support;

import io.wixoauth.simulator.demo.PayaraMicroProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/** Payara Micro processes of the built WAR that a test starts and kills itself, on the ITs' database and simulator. */
public final class ServiceNodes {

    private ServiceNodes() {
    }

    public static Path itDir() {
        return Path.of(System.getProperty("it.dir", "target/it")).toAbsolutePath();
    }

    /**
     * The configuration every IT's Payara starts with; the app's secret as Wix has it now (a test may have regenerated
     * it), as an operator would set it on a node started after the change.
     */
    public static Properties config() {
        Properties config = new Properties();
        try (var in = Files.newBufferedReader(itDir().resolve("service.properties"))) {
            config.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.setProperty("wix.app-secret", ServiceEnvironment.get().wix().appSecret());
        return config;
    }

    /**
     * Starts a node in {@code dir} on {@code port} and waits until it is ready. Now and then, with two nodes starting at
     * once on two busy cores, Payara Micro fails to deploy the WAR before any of the service's code runs (its JNDI
     * validation misses the data source) and stays up without it. That start is reported and made once more: what
     * these tests prove begins after the deployment.
     */
    public static PayaraMicroProcess start(Path dir, int port, Properties config) {
        try {
            PayaraMicroProcess node = launch(dir, port, config);
            if (node.awaitReady(Duration.ofMinutes(3))) {
                return node;
            }
            String firstTry = notReady(node);
            System.err.println("Starting the node again after a failed start: " + firstTry);
            node = launch(dir, port, config);
            if (node.awaitReady(Duration.ofMinutes(3))) {
                return node;
            }
            throw new IllegalStateException(notReady(node) + "\n\nThe first try: " + firstTry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a node that must refuse to start: waits until its log holds {@code expected} (what start-up names as the
     * reason), stops it, and returns that line; fails if the node became ready instead, or said nothing in time.
     */
    public static String refusedStart(Path dir, int port, Properties config, String expected) {
        try (PayaraMicroProcess node = launch(dir, port, config)) {
            java.time.Instant until = java.time.Instant.now().plus(Duration.ofMinutes(3));
            while (java.time.Instant.now().isBefore(until)) {
                if (Files.exists(node.log())) {
                    try (var lines = Files.lines(node.log())) {
                        var said = lines.filter(line -> line.contains(expected)).findFirst();
                        if (said.isPresent()) {
                            return said.get();
                        }
                    }
                }
                if (node.awaitReady(Duration.ofMillis(500))) {
                    throw new AssertionError("the node started, where it should have refused: " + expected);
                }
            }
            throw new AssertionError("the node did not say '" + expected + "' within 3 minutes:\n"
                    + String.join("\n", node.lastLines(30)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static PayaraMicroProcess launch(Path dir, int port, Properties config) throws IOException {
        return PayaraMicroProcess.start(Path.of(System.getProperty("payara.micro.jar")),
                Path.of(System.getProperty("service.war")), dir, port, config);
    }

    /** Stops a node that did not become ready and says why, from the end of its log. */
    private static String notReady(PayaraMicroProcess node) {
        node.close();
        return "node in " + node.log().getParent().getParent() + " did not become ready; the end of " + node.log()
                + ":\n" + String.join("\n", node.lastLines(30));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

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

    /** The configuration every IT's Payara starts with. */
    public static Properties config() {
        Properties config = new Properties();
        try (var in = Files.newBufferedReader(itDir().resolve("service.properties"))) {
            config.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    /** Starts a node in {@code dir} on {@code port} and waits until it is ready. */
    public static PayaraMicroProcess start(Path dir, int port, Properties config) {
        try {
            PayaraMicroProcess node = PayaraMicroProcess.start(Path.of(System.getProperty("payara.micro.jar")),
                    Path.of(System.getProperty("service.war")), dir, port, config);
            if (!node.awaitReady(Duration.ofMinutes(3))) {
                throw new IllegalStateException("node in " + dir + " did not become ready; see " + node.log());
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

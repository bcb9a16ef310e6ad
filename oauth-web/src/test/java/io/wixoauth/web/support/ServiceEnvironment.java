package io.wixoauth.web.support;

import io.wixoauth.simulator.IdentityProvider;
import io.wixoauth.simulator.ServiceWiring;
import io.wixoauth.simulator.SimulatorSettings;
import io.wixoauth.simulator.WixSimulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What the service under test talks to: the Wix simulator, the identity provider whose tokens it trusts, and a fresh
 * H2 database. Started once per test JVM, before Arquillian starts Payara Micro, and handed to Payara as a
 * {@code --systemproperties} file (see arquillian.xml).
 */
public final class ServiceEnvironment {

    private static ServiceEnvironment current;

    private final WixSimulator wix;
    private final IdentityProvider idp;
    private final int port;
    private final ServiceDatabase database;
    private final Path dir;
    private final String tokenEncryptionKey;
    private final String configuredAppSecret;
    private final Set<String> bearers = ConcurrentHashMap.newKeySet();
    private final Set<String> extraSecrets = ConcurrentHashMap.newKeySet();

    private ServiceEnvironment(WixSimulator wix, IdentityProvider idp, int port, ServiceDatabase database, Path dir,
                               String tokenEncryptionKey, String configuredAppSecret) {
        this.wix = wix;
        this.idp = idp;
        this.port = port;
        this.database = database;
        this.dir = dir;
        this.tokenEncryptionKey = tokenEncryptionKey;
        this.configuredAppSecret = configuredAppSecret;
    }

    public ServiceDatabase database() {
        return database;
    }

    /** Where Wix posts webhooks. */
    public URI webhookUrl() {
        return service().resolve("webhooks/wix");
    }

    /** The service's own address on loopback, the host its Redirect URL and cookies use. */
    public URI service() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    private static int port() {
        return Integer.parseInt(System.getProperty("it.http.port", "8080"));
    }

    public static synchronized ServiceEnvironment get() {
        if (current == null) {
            current = start(Path.of(System.getProperty("it.dir", "target/it")).toAbsolutePath());
        }
        return current;
    }

    /** The default app's secret as the service was started with ({@code wix.app-secret}), whatever Wix has now. */
    public String configuredAppSecret() {
        return configuredAppSecret;
    }

    public WixSimulator wix() {
        return wix;
    }

    public IdentityProvider idp() {
        return idp;
    }

    private static ServiceEnvironment start(Path dir) {
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir);
            int port = port();
            WixSimulator wix = WixSimulator.start(SimulatorSettings.random()
                    .withRedirectUrls(List.of(ServiceWiring.redirectUrl(port))), 0);
            IdentityProvider idp = IdentityProvider.generate();

            // Short timeouts and retry delays keep fault tests fast; the retry count is the production one.
            ServiceDatabase database = ServiceDatabase.start(dir.resolve("db"));
            // The identity provider's keys come from its JWKS address, as a company's Keycloak or Entra ID serves them.
            ServiceWiring wiring = ServiceWiring.to(wix, wix.publishIdentityProviderKeys(idp),
                    database.settings().get("oauth.db.url"), port);
            database.settings().forEach(wiring::with);
            // Refresh-token access tokens live 5 minutes; refreshing 4m55s early makes them stale after 5 seconds,
            // so tests see expiry without waiting. Client-credentials tokens (4 hours) stay cached.
            Properties config = wiring
                    .with("oauth.token-refresh-skew", "PT4M55S")
                    // The identity provider's keys read every 2 s, so a withdrawn key is seen in seconds.
                    .with("oauth.bearer.keys-max-age", "PT2S")
                    .with("io.wixoauth.core.wix.WixOAuthClient/refresh/Retry/delay", "50")
                    .with("io.wixoauth.core.wix.WixOAuthClient/refresh/Retry/jitter", "20")
                    .with("oauth.upstream.connect-timeout", "PT1S")
                    // Refusal summaries and chain checkpoints every 2 s, so tests see them without waiting a minute.
                    .with("oauth.audit.refusal-interval", "PT2S")
                    .with("oauth.audit.read-interval", "PT2S")
                    .with("oauth.audit.checkpoint-interval", "PT2S")
                    .with("oauth.upstream.read-timeout", "PT1S")
                    // Relay retries after 300 ms, 600 ms, ... up to 2 s, so a receiver that is down is retried in seconds.
                    .with("oauth.relay.retry-base", "PT0.3S")
                    .with("oauth.relay.retry-max-delay", "PT2S")
                    .with("oauth.relay.timeout", "PT2S")
                    // A group that may call Wix's Contacts API through the proxy and nothing else (ProxyIT).
                    .with("oauth.proxy.allowed-paths.crm-sync", "contacts/v4")
                    // Wix's answer to a proxied call may be silent 3 s, so a stalled answer is cut off in seconds.
                    .with("oauth.proxy.timeout", "PT3S")
                    .with("io.wixoauth.core.wix.WixOAuthClient/createAccessToken/Retry/delay", "50")
                    .with("io.wixoauth.core.wix.WixOAuthClient/createAccessToken/Retry/jitter", "20")
                    .with("io.wixoauth.core.wix.WixOAuthClient/tokenInfo/Retry/delay", "50")
                    .with("io.wixoauth.core.wix.WixOAuthClient/tokenInfo/Retry/jitter", "20")
                    .asSystemProperties();
            try (var out = Files.newBufferedWriter(dir.resolve("service.properties"))) {
                config.store(out, "Written by ServiceEnvironment for this test run");
            }
            Files.writeString(dir.resolve("preboot.asadmin"), ServiceWiring.PREBOOT_COMMANDS);
            Runtime.getRuntime().addShutdownHook(new Thread(wix::close));
            String key = config.getProperty("oauth.token-encryption-keys").split(":", 2)[1];
            ServiceEnvironment environment = new ServiceEnvironment(wix, idp, port, database, dir, key,
                    config.getProperty("wix.app-secret"));
            environment.extraSecrets.add(config.getProperty("oauth.audit.keys").split(":", 2)[1]);
            return environment;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot start the test database", e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A bearer token for a backend in the given groups. */
    /** The token API's address for {@code instanceId}. */
    public URI tokenUri(String instanceId) {
        return service().resolve("api/v1/instances/" + instanceId + "/access-token");
    }

    /** A backend's token request for {@code instanceId}, as a {@code token-reader}. */
    public java.net.http.HttpResponse<String> accessToken(String instanceId) {
        return Http.get(tokenUri(instanceId), bearer("token-reader"));
    }

    /** A bearer token of a caller named {@code subject}, as its audit entries name it. */
    public String bearerOf(String subject, String... groups) {
        String token = idp.issue(subject, List.of(groups), java.time.Duration.ofMinutes(10));
        bearers.add(token);
        return token;
    }

    public String bearer(String... groups) {
        String token = idp.issue("backend-" + System.nanoTime(), List.of(groups), java.time.Duration.ofMinutes(10));
        bearers.add(token);
        return token;
    }

    /** A key rotation: the entry ({@code id:key}) and id of the key that was active, and the id of the new one. */
    public record KeyRotation(String oldEntry, String oldKeyId, String newEntry, String newKeyId) {
    }

    /**
     * Rotates the token-encryption key for every Payara started from now on: every key so far stays readable, a new
     * one becomes active. Returns the old active key, to seal test data the old way.
     */
    public synchronized KeyRotation rotateTokenEncryptionKey() {
        Path file = dir.resolve("service.properties");
        Properties config = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            config.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String keys = config.getProperty("oauth.token-encryption-keys");
        String oldId = config.getProperty("oauth.token-encryption-active-key");
        String oldEntry = java.util.Arrays.stream(keys.split(",")).filter(e -> e.startsWith(oldId + ":")).findFirst()
                .orElseThrow();
        String newId = "k" + (keys.split(",").length + 1);
        String newKey = ServiceWiring.randomKey();
        config.setProperty("oauth.token-encryption-keys", keys + "," + newId + ":" + newKey);
        config.setProperty("oauth.token-encryption-active-key", newId);
        try (var out = Files.newBufferedWriter(file)) {
            config.store(out, "Rotated by ServiceEnvironment: every earlier key readable, " + newId + " active");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        extraSecrets.add(newKey);
        return new KeyRotation(oldEntry, oldId, newId + ":" + newKey, newId);
    }

    /**
     * Fails if any token, code, secret or key the tests handed out or the simulator issued appears in the service's
     * log: they must never be written, whatever happened.
     */
    public void assertNoSecretInServerLogs() throws IOException {
        Set<String> secrets = new HashSet<>(wix.issuedSecrets());
        secrets.addAll(bearers);
        secrets.add(tokenEncryptionKey);
        secrets.addAll(extraSecrets);
        Map<Path, String> logs = serverLogs();
        if (logs.isEmpty()) {
            throw new AssertionError("no server log found in " + dir);
        }
        logs.forEach((log, text) -> {
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    throw new AssertionError("a secret (sha256 " + io.wixoauth.api.Secret.of(secret).fingerprint()
                            + ") appears in " + log);
                }
            }
        });
    }

    /** Every Payara log file of this run (arquillian.xml's --logtofile), by path, as it reads now. */
    public Map<Path, String> serverLogs() throws IOException {
        Map<Path, String> logs = new java.util.LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path log : files.filter(p -> p.getFileName().toString().matches("server\\.log(\\.\\d+)?")).toList()) {
                try {
                    logs.put(log, Files.readString(log));
                } catch (java.nio.file.NoSuchFileException e) {
                    // rotated away while Payara shut down
                }
            }
        }
        return logs;
    }
}

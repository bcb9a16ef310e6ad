package io.wixoauth.simulator.demo;

import io.wixoauth.simulator.IdentityProvider;
import io.wixoauth.simulator.ServiceWiring;
import io.wixoauth.simulator.SimulatorSettings;
import io.wixoauth.simulator.WixSimulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Runs the service as a newcomer first meets it: Payara Micro on http://127.0.0.1:8080 with an embedded H2 database
 * in the data folder (kept across restarts, no network port), the Wix simulator on another loopback port in place of
 * Wix, and a demo identity provider whose token the printed {@code curl} carries. Ctrl-C stops everything.
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path data = options.dataDir().toAbsolutePath();
        DemoApp app = DemoApp.loadOrCreate(data.resolve("demo-app.properties"));
        IdentityProvider idp = IdentityProvider.loadOrCreate(data.resolve("keys/demo-idp.jwk.json"));
        Path idpPublicKey = data.resolve("keys/demo-idp-public.pem");
        Files.writeString(idpPublicKey, idp.publicKeyPem());
        PrivateFiles.restrict(data);

        String redirectUrl = ServiceWiring.redirectUrl(options.port());
        WixSimulator simulator = WixSimulator.start(SimulatorSettings.random().withApp(app.appId(), app.appSecret())
                .withRedirectUrls(List.of(redirectUrl)), options.simulatorPort());
        simulator.installApp(app.instanceId());
        String secondCallback = redirectUrl + "/" + app.secondAppId();
        simulator.addApp(app.secondAppId(), app.secondAppSecret(), List.of(secondCallback));

        Properties config = ServiceWiring.to(simulator, idpPublicKey, ServiceWiring.h2File(data.resolve("db/oauth")),
                        options.port())
                .tokenEncryptionKey("demo", app.tokenEncryptionKey())
                .auditKey("demo", app.auditKey())
                .asSystemProperties();

        System.out.println("Starting the Wix OAuth service on Payara Micro (log: " + data.resolve("logs/server.log") + ") ...");
        PayaraMicroProcess service = PayaraMicroProcess.start(options.payaraMicroJar(), options.war(), data,
                options.port(), config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            simulator.close();
        }));
        boolean ready = service.awaitReady(Duration.ofMinutes(3));
        PrivateFiles.restrict(data); // what Payara wrote meanwhile: the service's settings, the database, the log
        if (!ready) {
            System.err.println("The service did not become ready. The last lines of " + service.log() + ":");
            service.lastLines(40).forEach(System.err::println);
            System.exit(1);
        }
        Path backend = writeToken(data, "backend.jwt", idp.issue("demo-backend", List.of("token-reader", "wix-caller"), Duration.ofHours(12)));
        String operatorToken = idp.issue("demo-operator", List.of("oauth-viewer", "oauth-admin", "oauth-auditor"),
                Duration.ofHours(12));
        Path operator = writeToken(data, "operator.jwt", operatorToken);
        PrivateFiles.restrict(data); // and what the first transaction created: Payara's transaction log
        // "Your backend": subscribed to every event the service relays; it prints each one it verified.
        try {
            DemoBackend.start(service.baseUrl(), operatorToken, System.out);
        } catch (IOException | RuntimeException e) {
            // Exit, which stops the service and the simulator, rather than leave them running without a banner.
            System.err.println("The demo could not subscribe its backend: " + e.getMessage() + ". See " + service.log());
            System.exit(1);
        }
        // The same company's second app, served by the same deployment (an operator adds it through the admin API).
        try {
            addSecondApp(service.baseUrl(), operatorToken, app, simulator, secondCallback);
        } catch (IOException | RuntimeException e) {
            System.err.println("The demo could not add its second app: " + e.getMessage() + ". See " + service.log());
            System.exit(1);
        }
        // Wix tells the app's webhook URL about installs: the demo site's install reaches the service the same way.
        simulator.deliverWebhooksTo(service.baseUrl().resolve("/webhooks/wix"));
        int installed = simulator.webhooks().post(simulator.webhookUrl().orElseThrow(), simulator.webhooks().sign(
                "AppInstalled", app.instanceId(), jakarta.json.Json.createObjectBuilder().add("appId", app.appId()).build(),
                java.time.Instant.now()));
        if (installed != 200) {
            System.err.println("The service refused the demo site's AppInstalled webhook with " + installed);
        }
        System.out.println(Banner.text(service.baseUrl().toString(), simulator.baseUrl().toString(), app.instanceId(),
                backend, operator, data, app.secondAppId()));
        System.exit(service.waitFor());
    }

    /** {@code POST /api/admin/apps}, as an operator adds an app; already added by an earlier run of the demo is fine. */
    private static void addSecondApp(java.net.URI service, String operatorToken, DemoApp app, WixSimulator simulator,
                                     String callback) throws IOException, InterruptedException {
        String body = jakarta.json.Json.createObjectBuilder().add("appId", app.secondAppId())
                .add("secret", app.secondAppSecret())
                .add("webhookPublicKeys", simulator.webhooks(app.secondAppId()).publicKeyPem())
                .add("redirectUrl", callback).add("reason", "the demo's second app").build().toString();
        java.net.http.HttpResponse<String> added = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(service.resolve("/api/admin/apps"))
                        .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (added.statusCode() == 409) {
            return; // an earlier run added it (the demo sends no webhooks for it: the key it was added with is kept)
        }
        if (added.statusCode() != 201) {
            throw new IllegalStateException("the service answered " + added.statusCode());
        }
    }

    /** A bearer token in a private file, so that the banner's commands read it instead of carrying a placeholder. */
    private static Path writeToken(Path data, String name, String token) throws IOException {
        Path file = data.resolve("tokens").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, token);
        PrivateFiles.restrict(file.getParent());
        return file;
    }

    /** The demo app's id, secret and installed instance, kept in the data folder so restarts keep them. */
    record DemoApp(String appId, String appSecret, String instanceId, String tokenEncryptionKey, String auditKey,
                   String secondAppId, String secondAppSecret) {

        /** Reads the file, adding whatever it lacks (a first run, or a data folder from an older version). */
        static DemoApp loadOrCreate(Path file) throws IOException {
            PrivateFiles.restrict(file.getParent());
            Properties properties = new Properties();
            if (Files.exists(file)) {
                try (var in = Files.newBufferedReader(file)) {
                    properties.load(in);
                }
            }
            int before = properties.size();
            properties.putIfAbsent("app-id", UUID.randomUUID().toString());
            properties.putIfAbsent("app-secret", "demo-secret-" + UUID.randomUUID());
            properties.putIfAbsent("instance-id", UUID.randomUUID().toString());
            properties.putIfAbsent("token-encryption-key", ServiceWiring.randomKey());
            properties.putIfAbsent("audit-key", ServiceWiring.randomKey());
            properties.putIfAbsent("second-app-id", UUID.randomUUID().toString());
            properties.putIfAbsent("second-app-secret", "demo-secret-" + UUID.randomUUID());
            if (properties.size() != before) {
                try (var out = Files.newBufferedWriter(file)) {
                    properties.store(out, "The demo's simulated Wix app, its refresh-token key and its audit-chain key; delete the data folder to start afresh");
                }
                PrivateFiles.restrict(file.getParent());
            }
            return new DemoApp(properties.getProperty("app-id"), properties.getProperty("app-secret"),
                    properties.getProperty("instance-id"), properties.getProperty("token-encryption-key"),
                    properties.getProperty("audit-key"), properties.getProperty("second-app-id"),
                    properties.getProperty("second-app-secret"));
        }
    }

    record Options(Path war, Path payaraMicroJar, Path dataDir, int port, int simulatorPort) {

        static Options parse(String[] args) {
            Path war = Path.of("oauth-web/target/oauth-web.war");
            Path micro = Path.of("oauth-web/target/payara-micro.jar");
            Path data = Path.of("data");
            int port = 8080;
            int simulatorPort = 9090;
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--war" -> war = Path.of(args[i + 1]);
                    case "--payara-micro" -> micro = Path.of(args[i + 1]);
                    case "--data" -> data = Path.of(args[i + 1]);
                    case "--port" -> port = Integer.parseInt(args[i + 1]);
                    case "--simulator-port" -> simulatorPort = Integer.parseInt(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(war, micro, data, port, simulatorPort);
        }
    }
}

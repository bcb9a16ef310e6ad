package io.wixoauth.simulator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The settings that point the service at a simulator and an identity provider: the one place the demo and the
 * tests take them from, as system properties or, for a server started by asadmin, as environment variables.
 */
public final class ServiceWiring {

    /**
     * Payara Micro preboot commands: production's own ({@code deploy/preboot.asadmin}), and HTTP on loopback only, so
     * a demo or test server is not reachable from the network.
     */
    public static final String PREBOOT_COMMANDS = payaraFile("preboot.asadmin") + """
            set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1
            """;

    /** A file of {@code deploy/} (Payara's preboot commands, its logging), as this jar carries it. */
    public static String payaraFile(String name) {
        try (var in = ServiceWiring.class.getResourceAsStream("payara/" + name)) {
            if (in == null) {
                throw new IllegalStateException("deploy/" + name + " is missing from the simulator's jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The console's client id at the identity provider. */
    public static final String CONSOLE_CLIENT = "wix-oauth-console";

    private final Map<String, String> settings = new LinkedHashMap<>();

    private ServiceWiring(WixSimulator wix, String idpKeyLocation, String databaseUrl, int servicePort) {
        settings.put("wix.app-id", wix.appId());
        settings.put("wix.app-secret", wix.appSecret());
        settings.put("wix.api-base-url", wix.baseUrl().toString());
        settings.put("wix.www-base-url", wix.baseUrl().toString());
        settings.put("oauth.db.url", databaseUrl);
        settings.put("mp.jwt.verify.publickey.location", idpKeyLocation);
        settings.put("mp.jwt.verify.issuer", IdentityProvider.ISSUER);
        settings.put("mp.jwt.verify.audiences", IdentityProvider.AUDIENCE);
        settings.put("oauth.redirect-url", redirectUrl(servicePort));
        settings.put("wix.webhook-public-keys", wix.webhooks().publicKeyPem());
        // The operations console signs in with the simulator's OpenID provider, as a public client with PKCE.
        String service = "http://127.0.0.1:" + servicePort;
        OpenIdProvider openId = wix.openIdProvider();
        openId.register(CONSOLE_CLIENT, null, java.util.List.of(service + "/console/callback",
                service + "/console/signed-out"));
        settings.put("oauth.console.issuer", openId.issuer().toString());
        settings.put("oauth.console.client-id", CONSOLE_CLIENT);
        tokenEncryptionKey("k1", randomKey());
        auditKey("a1", randomKey());
    }

    /**
     * @param servicePort the service's HTTP port on 127.0.0.1; the simulator must list {@link #redirectUrl(int)} among
     *                    its registered Redirect URLs
     */
    public static ServiceWiring to(WixSimulator wix, Path idpPublicKey, String databaseUrl, int servicePort) {
        return new ServiceWiring(wix, idpPublicKey.toUri().toString(), databaseUrl, servicePort);
    }

    /** With the identity provider's keys at a JWKS address, as a real one publishes them. */
    public static ServiceWiring to(WixSimulator wix, java.net.URI idpJwks, String databaseUrl, int servicePort) {
        return new ServiceWiring(wix, idpJwks.toString(), databaseUrl, servicePort);
    }

    /** The Redirect URL registered for a service on 127.0.0.1 at {@code port}. */
    public static String redirectUrl(int servicePort) {
        return "http://127.0.0.1:" + servicePort + "/oauth/callback";
    }

    /** The one AES-256 key that encrypts refresh tokens ({@code kid:base64} in {@code oauth.token-encryption-keys}). */
    public ServiceWiring tokenEncryptionKey(String kid, String base64Key) {
        settings.put("oauth.token-encryption-keys", kid + ":" + base64Key);
        settings.put("oauth.token-encryption-active-key", kid);
        return this;
    }

    /** The one key that seals the audit chain ({@code kid:base64} in {@code oauth.audit.keys}). */
    public ServiceWiring auditKey(String kid, String base64Key) {
        settings.put("oauth.audit.keys", kid + ":" + base64Key);
        settings.put("oauth.audit.active-key", kid);
        return this;
    }

    public static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /**
     * An embedded H2 database in {@code file} (no network port). The connection pool, not H2's own shutdown hook,
     * closes it, so stopping the server does not cut connections under the pool.
     */
    public static String h2File(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    public ServiceWiring with(String property, String value) {
        settings.put(property, value);
        return this;
    }

    public Properties asSystemProperties() {
        Properties properties = new Properties();
        properties.putAll(settings);
        return properties;
    }

    /** MicroProfile Config's mapping: non-alphanumerics become '_', then upper case ({@code wix.app-id} → {@code WIX_APP_ID}). */
    public Map<String, String> asEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        settings.forEach((k, v) -> environment.put(k.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), v));
        return environment;
    }
}

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

    /** A Payara Micro preboot command: HTTP on loopback only, so a demo or test server is not reachable from the network. */
    public static final String BIND_HTTP_TO_LOOPBACK = "set configs.config.server-config.network-config"
            + ".network-listeners.network-listener.http-listener.address=127.0.0.1\n";

    private final Map<String, String> settings = new LinkedHashMap<>();

    private ServiceWiring(WixSimulator wix, Path idpPublicKey, String databaseUrl) {
        settings.put("wix.app-id", wix.appId());
        settings.put("wix.app-secret", wix.appSecret());
        settings.put("wix.api-base-url", wix.baseUrl().toString());
        settings.put("wix.www-base-url", wix.baseUrl().toString());
        settings.put("oauth.db.url", databaseUrl);
        settings.put("mp.jwt.verify.publickey.location", idpPublicKey.toUri().toString());
        settings.put("mp.jwt.verify.issuer", IdentityProvider.ISSUER);
        settings.put("mp.jwt.verify.audiences", IdentityProvider.AUDIENCE);
    }

    public static ServiceWiring to(WixSimulator wix, Path idpPublicKey, String databaseUrl) {
        return new ServiceWiring(wix, idpPublicKey, databaseUrl);
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

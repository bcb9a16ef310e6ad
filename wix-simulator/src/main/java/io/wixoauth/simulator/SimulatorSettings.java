package io.wixoauth.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The app the simulator plays Wix for, and the lifetimes it enforces (protocol section 9).
 *
 * @param redirectUrls the pre-registered Redirect URLs; an install with any other {@code redirectUrl} is refused
 * @param autoApprove  skip the consent page and approve at once (tests); the demo shows the page
 */
public record SimulatorSettings(String appId, String appSecret, List<String> redirectUrls,
                                Duration clientCredentialsLifetime, Duration advancedTokenLifetime,
                                Duration codeLifetime, boolean autoApprove) {

    /** Wix's dashboard registers only HTTPS Redirect URLs, or plain HTTP on this machine while developing (section 2). */
    public SimulatorSettings {
        for (String url : redirectUrls) {
            URI uri = URI.create(url);
            boolean local = "http".equals(uri.getScheme()) && LOCAL_HOSTS.contains(String.valueOf(uri.getHost()));
            if (!"https".equals(uri.getScheme()) && !local) {
                throw new IllegalArgumentException("a Redirect URL must be HTTPS, or HTTP on localhost: " + url);
            }
        }
    }

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    public static SimulatorSettings random() {
        return new SimulatorSettings(UUID.randomUUID().toString(), "secret-" + UUID.randomUUID(), List.of(),
                Duration.ofHours(4), Duration.ofMinutes(5), Duration.ofMinutes(10), false);
    }

    public SimulatorSettings withApp(String appId, String appSecret) {
        return new SimulatorSettings(appId, appSecret, redirectUrls, clientCredentialsLifetime, advancedTokenLifetime,
                codeLifetime, autoApprove);
    }

    public SimulatorSettings withRedirectUrls(List<String> urls) {
        return new SimulatorSettings(appId, appSecret, List.copyOf(urls), clientCredentialsLifetime,
                advancedTokenLifetime, codeLifetime, autoApprove);
    }

    public SimulatorSettings withClientCredentialsLifetime(Duration lifetime) {
        return new SimulatorSettings(appId, appSecret, redirectUrls, lifetime, advancedTokenLifetime, codeLifetime,
                autoApprove);
    }

    public SimulatorSettings withAutoApprove(boolean autoApprove) {
        return new SimulatorSettings(appId, appSecret, redirectUrls, clientCredentialsLifetime, advancedTokenLifetime,
                codeLifetime, autoApprove);
    }
}

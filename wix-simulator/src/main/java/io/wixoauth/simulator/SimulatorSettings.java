package io.wixoauth.simulator;

import java.time.Duration;
import java.util.List;
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

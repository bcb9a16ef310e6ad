package io.wixoauth.core.console;

import io.wixoauth.api.Secret;
import io.wixoauth.core.platform.MissingSettingException;
import io.wixoauth.core.platform.StartupCheck;
import io.wixoauth.core.wix.WixSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The operations console's sign-in (docs/configuration.md, "Operations console"): off until an issuer is set; then a
 * client id is required, the identity provider must be reached over https (http only on this machine's loopback, for
 * the demo), and the session lifetimes are positive durations, idle no longer than absolute. Anything else stops
 * start-up naming the setting: the console fails closed.
 */
@ApplicationScoped
public class ConsoleSettings implements StartupCheck {

    static final String ISSUER = "oauth.console.issuer";
    static final String CLIENT_ID = "oauth.console.client-id";
    static final String CLIENT_SECRET = "oauth.console.client-secret";
    static final String GROUPS_CLAIM = "oauth.console.groups-claim";
    static final String REDIRECT_URI = "oauth.console.redirect-uri";
    static final String SESSION_IDLE = "oauth.console.session-idle";
    static final String SESSION_MAX = "oauth.console.session-max";

    @Inject
    Config config;

    @Inject
    WixSettings wix;

    private Optional<URI> issuer;
    private String clientId;
    private Optional<Secret> clientSecret;
    private String groupsClaim;
    private URI redirectUri;
    private Duration sessionIdle;
    private Duration sessionMax;

    @PostConstruct
    void load() {
        sessionIdle = duration(SESSION_IDLE, "PT30M");
        sessionMax = duration(SESSION_MAX, "PT8H");
        if (sessionIdle.compareTo(sessionMax) > 0) {
            throw new MissingSettingException(SESSION_IDLE, "is longer than " + SESSION_MAX);
        }
        issuer = optional(ISSUER).map(value -> secureUrl(ISSUER, value));
        if (issuer.isEmpty()) {
            return;
        }
        clientId = optional(CLIENT_ID).orElseThrow(() -> new MissingSettingException(CLIENT_ID,
                "is required once " + ISSUER + " is set: the console's client id at the identity provider"));
        clientSecret = optional(CLIENT_SECRET).map(Secret::of);
        groupsClaim = optional(GROUPS_CLAIM).orElse("groups");
        URI handshake = wix.redirectUrl();
        redirectUri = optional(REDIRECT_URI).map(value -> secureUrl(REDIRECT_URI, value))
                .orElseGet(() -> handshake.resolve("/console/callback"));
    }

    @Override
    public String check() {
        return issuer.map(uri -> "Console: signing in with " + uri + " as client " + clientId
                        + (clientSecret.isPresent() ? " (confidential)" : " (public, PKCE)") + ", redirect URI "
                        + redirectUri + ", groups from claim " + groupsClaim + "; sessions idle " + sessionIdle
                        + ", at most " + sessionMax)
                .orElse("Console: off (" + ISSUER + " is not set)");
    }

    public boolean enabled() {
        return issuer.isPresent();
    }

    public URI issuer() {
        return issuer.orElseThrow();
    }

    public String clientId() {
        return clientId;
    }

    public Optional<Secret> clientSecret() {
        return clientSecret;
    }

    public String groupsClaim() {
        return groupsClaim;
    }

    public URI redirectUri() {
        return redirectUri;
    }

    public Duration sessionIdle() {
        return sessionIdle;
    }

    public Duration sessionMax() {
        return sessionMax;
    }

    private Optional<String> optional(String name) {
        return config.getOptionalValue(name, String.class).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** https, or http to this machine only: a sign-in whose code and tokens crossed a network in clear is refused. */
    private static URI secureUrl(String name, String value) {
        URI uri;
        try {
            uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new MissingSettingException(name, "must be an absolute https URL");
        }
        boolean https = "https".equals(uri.getScheme()) && uri.getHost() != null;
        boolean local = "http".equals(uri.getScheme()) && uri.getHost() != null && loopback(uri.getHost());
        if (!https && !local) {
            throw new MissingSettingException(name, "must be an absolute https URL (http only on the loopback "
                    + "interface)");
        }
        return uri;
    }

    private static boolean loopback(String host) {
        if ("localhost".equals(host)) {
            return true;
        }
        try {
            return host.matches("[0-9.]+|\\[[0-9a-fA-F:]+]") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private Duration duration(String name, String byDefault) {
        String value = optional(name).orElse(byDefault);
        try {
            Duration duration = Duration.parse(value);
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw new MissingSettingException(name, "must be a positive ISO-8601 duration, such as PT30M");
    }
}

package io.wixoauth.core.wix;

import io.wixoauth.core.platform.MissingSettingException;
import io.wixoauth.core.platform.StartupCheck;
import io.wixoauth.api.Secret;
import io.wixoauth.api.error.InvalidIdentifierException;
import io.wixoauth.api.installation.AppId;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The app's Wix identity and endpoints, read once and validated, so a bad setting fails start-up, not a request. */
@ApplicationScoped
public class WixSettings implements StartupCheck {

    @Inject
    Config config;

    private AppId appId;
    private Secret appSecret;
    private URI apiBaseUrl;
    private URI wwwBaseUrl;
    private Duration connectTimeout;
    private Duration readTimeout;
    private URI redirectUrl;
    private boolean biEventEnabled;

    @PostConstruct
    void load() {
        appId = appId(required("wix.app-id"));
        appSecret = Secret.of(required("wix.app-secret"));
        apiBaseUrl = baseUrl("wix.api-base-url");
        wwwBaseUrl = baseUrl("wix.www-base-url");
        connectTimeout = positiveDuration("oauth.upstream.connect-timeout");
        readTimeout = positiveDuration("oauth.upstream.read-timeout");
        redirectUrl = httpUrl("oauth.redirect-url");
        biEventEnabled = Boolean.parseBoolean(optional("oauth.bi-event.enabled").orElse("true"));
    }

    @Override
    public String check() {
        return "Serving Wix app " + appId() + " via " + apiBaseUrl();
    }

    public AppId appId() {
        return appId;
    }

    public Secret appSecret() {
        return appSecret;
    }

    public URI apiBaseUrl() {
        return apiBaseUrl;
    }

    public URI wwwBaseUrl() {
        return wwwBaseUrl;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** The Redirect URL registered with Wix, where the callback answers (protocol section 2, step 4). */
    public URI redirectUrl() {
        return redirectUrl;
    }

    /** The App URL, where an install starts (protocol section 2, step 1): beside the Redirect URL. */
    public URI appUrl() {
        return redirectUrl.resolve("install");
    }

    /** The App URL of {@code app}: the default app's, or {@code install/{appId}} beside it for another app. */
    public URI appUrl(AppId app) {
        return app.equals(appId) ? appUrl() : redirectUrl.resolve("install/" + app.value());
    }

    /** Whether a finished install sends APP_FINISHED_CONFIGURATION (protocol section 2, step 7). */
    public boolean biEventEnabled() {
        return biEventEnabled;
    }

    private String required(String property) {
        return optional(property).orElseThrow(() -> new MissingSettingException(property, "is required"));
    }

    private Optional<String> optional(String property) {
        return config.getOptionalValue(property, String.class).map(String::strip).filter(v -> !v.isEmpty());
    }

    private AppId appId(String raw) {
        try {
            return AppId.of(raw);
        } catch (InvalidIdentifierException e) {
            throw new MissingSettingException("wix.app-id", "must be the app's UUID from the Wix dev center");
        }
    }

    /** A base URL without its trailing slash, so paths can be appended to it. */
    private URI baseUrl(String property) {
        String url = httpUrl(property).toString();
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    private URI httpUrl(String property) {
        String raw = required(property);
        try {
            URI uri = URI.create(raw);
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new MissingSettingException(property, "must be an absolute http(s) URL");
        }
    }

    private Duration positiveDuration(String property) {
        String raw = required(property);
        try {
            Duration duration = Duration.parse(raw);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException();
            }
            return duration;
        } catch (RuntimeException e) {
            throw new MissingSettingException(property, "must be a positive ISO-8601 duration such as PT5S");
        }
    }
}

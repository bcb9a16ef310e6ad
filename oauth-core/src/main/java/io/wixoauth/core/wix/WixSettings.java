package io.wixoauth.core.wix;

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
public class WixSettings {

    @Inject
    Config config;

    private AppId appId;
    private Secret appSecret;
    private URI apiBaseUrl;
    private URI wwwBaseUrl;
    private Duration connectTimeout;
    private Duration readTimeout;

    @PostConstruct
    void load() {
        appId = appId(required("wix.app-id"));
        appSecret = Secret.of(required("wix.app-secret"));
        apiBaseUrl = httpUrl("wix.api-base-url");
        wwwBaseUrl = httpUrl("wix.www-base-url");
        connectTimeout = positiveDuration("oauth.upstream.connect-timeout");
        readTimeout = positiveDuration("oauth.upstream.read-timeout");
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

    private URI httpUrl(String property) {
        String raw = required(property);
        try {
            URI uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
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

package io.wixoauth.core.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Every setting under the service's own prefixes ({@code oauth.}, {@code wix.}, and their environment forms
 * {@code OAUTH_}, {@code WIX_}) must be one the service reads: a misspelt security setting would otherwise be ignored
 * without a word, and the service run without it. Start-up stops on the first unknown one, naming it.
 */
@ApplicationScoped
public class SettingNames implements StartupCheck {

    /** Every setting the service reads; docs/configuration.md documents each (SettingNamesTest keeps them equal). */
    public static final Set<String> KNOWN = Set.of(
            "wix.app-id", "wix.app-secret", "wix.webhook-public-keys", "wix.api-base-url", "wix.www-base-url",
            "oauth.redirect-url", "oauth.token-encryption-keys", "oauth.token-encryption-active-key",
            "oauth.audit.keys", "oauth.audit.active-key", "oauth.audit.unkeyed-through", "oauth.audit.checkpoint-interval",
            "oauth.audit.refusal-interval", "oauth.audit.read-interval", "oauth.audit.log-each-read",
            "oauth.audit.archive-dir", "oauth.retention.uninstalled", "oauth.retention.delivered",
            "oauth.retention.failed", "oauth.retention.jobs", "oauth.retention.tombstones", "oauth.retention.audit",
            "oauth.retention.run-every", "oauth.migration.keep-refresh-tokens", "oauth.bi-event.enabled", "oauth.token-refresh-skew",
            "oauth.token-cache.max-age", "oauth.token-cache.max-fetching", "oauth.cluster.lease",
            "oauth.refresh-ahead.window", "oauth.refresh-ahead.min-reads", "oauth.refresh-ahead.interval",
            "oauth.bearer.keys-max-age", "oauth.bearer.cache-size", "oauth.upstream.connect-timeout",
            "oauth.upstream.read-timeout", "oauth.wix.backoff.initial", "oauth.wix.backoff.max",
            "oauth.bulk-refresh.parallelism", "oauth.relay.batch", "oauth.relay.give-up-after",
            "oauth.relay.retry-base", "oauth.relay.retry-max-delay", "oauth.relay.timeout",
            "oauth.proxy.calls-per-minute", "oauth.proxy.max-body-bytes", "oauth.proxy.max-concurrent",
            "oauth.proxy.replayable-body-bytes", "oauth.proxy.timeout", "oauth.proxy.allowed-paths",
            "oauth.db.url", "oauth.db.user", "oauth.db.password", "oauth.db.datasource-class",
            "oauth.console.issuer", "oauth.console.client-id", "oauth.console.client-secret",
            "oauth.console.groups-claim", "oauth.console.redirect-uri", "oauth.console.session-idle",
            "oauth.console.session-max");

    /** Settings whose last part is a name of the operator's choosing, written as system properties only. */
    public static final List<String> NAMED = List.of("oauth.proxy.allowed-paths.");

    private static final Set<String> KNOWN_ENVIRONMENT = KNOWN.stream().map(MissingSettingException::environmentName)
            .collect(Collectors.toUnmodifiableSet());

    @Inject
    Config config;

    @Override
    public String check() {
        StreamSupport.stream(config.getPropertyNames().spliterator(), false).distinct().forEach(SettingNames::check);
        return "Every setting under oauth. and wix. is one the service reads";
    }

    static void check(String name) {
        if (name.startsWith("oauth.") || name.startsWith("wix.")) {
            if (!KNOWN.contains(name) && NAMED.stream().noneMatch(prefix -> name.startsWith(prefix)
                    && name.length() > prefix.length())) {
                throw MissingSettingException.refused(name, "is not a setting of this service (misspelt?); "
                        + "docs/configuration.md lists them");
            }
        } else if (name.startsWith("OAUTH_") || name.startsWith("WIX_")) {
            if (name.startsWith("OAUTH_PROXY_ALLOWED_PATHS_")) {
                throw MissingSettingException.refused("oauth.proxy.allowed-paths", "cannot take a group's name from the "
                        + "environment variable " + name + ": write every group's list in OAUTH_PROXY_ALLOWED_PATHS as "
                        + "group:prefix,prefix;group2:prefix");
            }
            if (!KNOWN_ENVIRONMENT.contains(name)) {
                throw MissingSettingException.refused(name, "(an environment variable) is not a setting of this "
                        + "service (misspelt?); docs/configuration.md lists them");
            }
        }
    }
}

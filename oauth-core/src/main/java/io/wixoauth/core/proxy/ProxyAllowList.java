package io.wixoauth.core.proxy;

import io.wixoauth.api.error.PathNotAllowedException;
import io.wixoauth.api.proxy.WixCall;
import io.wixoauth.core.platform.MissingSettingException;
import io.wixoauth.core.platform.StartupCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * Optional per-group allow-lists of Wix path prefixes: a caller in one or more groups that have a list may call only
 * below a prefix of one of them; a caller in no such group may call any path. Two forms, read at start-up:
 * {@code oauth.proxy.allowed-paths=crm-sync:contacts/v4,apps/v1;billing:pricing-plans} (one setting, so it can be one
 * environment variable, {@code OAUTH_PROXY_ALLOWED_PATHS}), and {@code oauth.proxy.allowed-paths.<group>=...} as a
 * system property. A list that cannot be read stops start-up: a security setting fails closed.
 */
@ApplicationScoped
public class ProxyAllowList implements StartupCheck {

    static final String SETTING = "oauth.proxy.allowed-paths";
    static final String PREFIX = SETTING + ".";

    @Inject
    Config config;

    private volatile Map<String, List<String>> prefixesByGroup;

    @Override
    public String check() {
        return "Proxy allow-lists: " + (lists().isEmpty() ? "none (every wix-caller may call any path)" : lists());
    }

    void check(WixCall call) {
        List<List<String>> lists = lists().entrySet().stream()
                .filter(group -> call.callerInGroup().test(group.getKey()))
                .map(Map.Entry::getValue).toList();
        if (lists.isEmpty()) {
            return;
        }
        boolean allowed = lists.stream().flatMap(List::stream).anyMatch(call.path()::isUnder);
        if (!allowed) {
            throw new PathNotAllowedException("Your groups may not call /" + call.path().api()
                    + "… through the proxy (oauth.proxy.allowed-paths).");
        }
    }

    private Map<String, List<String>> lists() {
        if (prefixesByGroup == null) {
            prefixesByGroup = read(config.getOptionalValue(SETTING, String.class), perGroup());
        }
        return prefixesByGroup;
    }

    private Map<String, String> perGroup() {
        Map<String, String> lists = new HashMap<>();
        StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith(PREFIX) && name.length() > PREFIX.length())
                .forEach(name -> lists.put(name.substring(PREFIX.length()), config.getValue(name, String.class)));
        return lists;
    }

    /** Both forms merged: a group named in both may call below the prefixes of either. */
    static Map<String, List<String>> read(Optional<String> combined, Map<String, String> perGroup) {
        Map<String, List<String>> lists = new HashMap<>();
        combined.filter(value -> !value.isBlank()).ifPresent(value -> {
            for (String entry : value.split(";")) {
                String[] parts = entry.split(":", 2);
                if (parts.length != 2 || parts[0].isBlank()) {
                    throw MissingSettingException.refused(SETTING, "has an entry without a group ('" + entry.strip()
                            + "'): write group:prefix,prefix;group2:prefix");
                }
                add(lists, parts[0].strip(), parts[1]);
            }
        });
        perGroup.forEach((group, value) -> add(lists, group, value));
        return Map.copyOf(lists);
    }

    /** A group given no prefix may call nothing through the proxy (an empty list closes, never opens). */
    private static void add(Map<String, List<String>> lists, String group, String value) {
        List<String> prefixes = Arrays.stream(value.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList();
        lists.merge(group, prefixes, (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
    }
}

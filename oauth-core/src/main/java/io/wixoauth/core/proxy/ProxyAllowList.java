package io.wixoauth.core.proxy;

import io.wixoauth.api.error.PathNotAllowedException;
import io.wixoauth.api.proxy.WixCall;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Optional per-group allow-lists of Wix path prefixes ({@code oauth.proxy.allowed-paths.<group>=contacts/v4,apps/v1}):
 * a caller in one or more groups that have a list may call only below a prefix of one of them; a caller in no such
 * group may call any path. Read once at start.
 */
@ApplicationScoped
public class ProxyAllowList {

    static final String PREFIX = "oauth.proxy.allowed-paths.";

    @Inject
    Config config;

    private Map<String, List<String>> prefixesByGroup;

    @PostConstruct
    void read() {
        prefixesByGroup = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith(PREFIX) && name.length() > PREFIX.length())
                .distinct()
                .collect(Collectors.toUnmodifiableMap(name -> name.substring(PREFIX.length()),
                        name -> Arrays.stream(config.getValue(name, String.class).split(","))
                                .map(String::strip).filter(p -> !p.isEmpty()).toList()));
    }

    void check(WixCall call) {
        List<List<String>> lists = prefixesByGroup.entrySet().stream()
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
}

package io.wixoauth.core.proxy;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wixoauth.api.error.PathNotAllowedException;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.proxy.CallBody;
import io.wixoauth.api.proxy.WixCall;
import io.wixoauth.api.proxy.WixPath;
import io.wixoauth.core.platform.MissingSettingException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The proxy's allow-lists as an operator sets them, as environment variables (the form the deployment sample uses) or
 * system properties, read by a real MicroProfile Config: they close, never open.
 */
class ProxyAllowListTest {

    @Test
    void oneEnvironmentVariableHoldsEveryGroupsList() {
        ProxyAllowList lists = allowList(Map.of("OAUTH_PROXY_ALLOWED_PATHS", "crm-sync:contacts/v4, apps/v1 ;billing:pricing-plans"));

        assertThatCode(() -> lists.check(call("contacts/v4/contacts", "crm-sync"))).doesNotThrowAnyException();
        assertThatCode(() -> lists.check(call("apps/v1/instance", "crm-sync"))).doesNotThrowAnyException();
        assertThatCode(() -> lists.check(call("pricing-plans/v2/plans", "billing"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> lists.check(call("stores/v1/products", "crm-sync")))
                .isInstanceOf(PathNotAllowedException.class);
        assertThatThrownBy(() -> lists.check(call("contacts/v4/contacts", "billing")))
                .isInstanceOf(PathNotAllowedException.class);
        assertThatCode(() -> lists.check(call("stores/v1/products", "wix-caller"))).as("a group with no list")
                .doesNotThrowAnyException();
    }

    @Test
    void theSystemPropertyFormStillWorksAndBothFormsMerge() {
        ProxyAllowList lists = allowList(Map.of("oauth.proxy.allowed-paths", "crm-sync:contacts/v4",
                "oauth.proxy.allowed-paths.crm-sync", "apps/v1", "oauth.proxy.allowed-paths.billing", "pricing-plans"));

        assertThatCode(() -> lists.check(call("apps/v1/instance", "crm-sync"))).doesNotThrowAnyException();
        assertThatCode(() -> lists.check(call("contacts/v4/contacts", "crm-sync"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> lists.check(call("contacts/v4/contacts", "billing")))
                .isInstanceOf(PathNotAllowedException.class);
    }

    @Test
    void aGroupGivenNoPrefixMayCallNothing() {
        ProxyAllowList lists = allowList(Map.of("OAUTH_PROXY_ALLOWED_PATHS", "locked:"));

        assertThatThrownBy(() -> lists.check(call("contacts/v4/contacts", "locked")))
                .isInstanceOf(PathNotAllowedException.class);
    }

    @Test
    void anEntryWithoutAGroupStopsStartUp() {
        ProxyAllowList lists = allowList(Map.of("OAUTH_PROXY_ALLOWED_PATHS", "contacts/v4"));

        assertThatThrownBy(lists::check).isInstanceOf(MissingSettingException.class)
                .hasMessageContaining("oauth.proxy.allowed-paths").hasMessageContaining("group:prefix");
    }

    private static ProxyAllowList allowList(Map<String, String> settings) {
        ProxyAllowList lists = new ProxyAllowList();
        Map<String, String> environment = new java.util.HashMap<>();
        Map<String, String> properties = new java.util.HashMap<>();
        settings.forEach((name, value) -> (name.contains(".") ? properties : environment).put(name, value));
        lists.config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 400),
                new EnvConfigSource(environment, 300)).build();
        return lists;
    }

    private static WixCall call(String path, String... groups) {
        Set<String> in = Set.of(groups);
        return new WixCall("backend", in::contains, InstanceId.of(UUID.randomUUID().toString()), null, "GET",
                new WixPath(path),
                null, Map.of(), CallBody.none(), "req-1");
    }
}

package io.wixoauth.api.proxy;

import io.wixoauth.api.error.InvalidRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which paths the proxy may send below Wix's API host, and which could lead anywhere else. */
class WixPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"contacts/v4/contacts", "contacts/v4/contacts/3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "apps/v1/instance", "oauth/access/", "stores/v1/products/query", "items/a%20b", "x/caf%C3%A9",
            "wix-data/v2/items/a:b@c", "a/b~c/d.e", "a/.../b"})
    void passesWixsOwnPathsUnchanged(String raw) {
        assertThat(new WixPath(raw).raw()).isEqualTo(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", ".", "contacts/../oauth2/token", "contacts/./v4", "contacts/%2e%2e/x",
            "contacts/%2E/x", "contacts%2Fv4", "contacts%2fv4", "contacts%5Cv4", "contacts\\v4", "/contacts",
            "contacts//v4", "http://evil.example/x", "https:%2F%2Fevil.example", "contacts%0d%0aX-Injected:%201",
            "contacts%0a", "contacts%00", "contacts%7f", "contacts/%252e%252e", "contacts;x=1", "contacts/%zz",
            "contacts/%2", "contacts/%c0%ae%c0%ae", "contacts/%ff", "a b", "a\"b", "a<b", "a?b", "a#b", "a\rb"})
    void refusesWhatCouldLeadElsewhere(String raw) {
        assertThatThrownBy(() -> new WixPath(raw)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Refused: ");
    }

    @Test
    void refusesAPathLongerThanWixWouldEverNeed() {
        assertThat(new WixPath("a/".repeat(1023) + "b").raw()).hasSize(2047);
        assertThatThrownBy(() -> new WixPath("a/".repeat(1024) + "b")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void anAllowedPrefixIsWholeSegments() {
        WixPath path = new WixPath("contacts/v4/contacts");
        assertThat(path.isUnder("contacts/v4")).isTrue();
        assertThat(path.isUnder("/contacts/v4/")).isTrue();
        assertThat(path.isUnder("contacts/v4/contacts")).isTrue();
        assertThat(path.isUnder("contacts/v")).isFalse();
        assertThat(path.isUnder("contacts/v4/contacts/x")).isFalse();
        assertThat(path.isUnder("")).isFalse();
        assertThat(path.api()).isEqualTo("contacts/v4");
    }
}

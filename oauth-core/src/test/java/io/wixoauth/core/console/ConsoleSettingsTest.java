package io.wixoauth.core.console;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.wixoauth.core.platform.MissingSettingException;
import io.wixoauth.core.wix.WixSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The console's settings fail closed: off without an issuer, and any half or unsafe setting stops start-up. */
class ConsoleSettingsTest {

    private static final Map<String, String> ON = Map.of("oauth.console.issuer", "https://login.example.com/realms/ops",
            "oauth.console.client-id", "wix-oauth-console");

    @Test
    void offWithoutAnIssuerAndSaysSo() {
        ConsoleSettings settings = load(Map.of());

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.check()).contains("off").contains("oauth.console.issuer");
        assertThat(settings.sessionIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.sessionMax()).isEqualTo(Duration.ofHours(8));
    }

    @Test
    void onWithTheDocumentedDefaults() {
        ConsoleSettings settings = load(ON);

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.groupsClaim()).isEqualTo("groups");
        assertThat(settings.clientSecret()).isEmpty();
        assertThat(settings.redirectUri()).as("beside the install callback")
                .isEqualTo(URI.create("https://oauth.example.com/console/callback"));
        assertThat(settings.check()).contains("public, PKCE").doesNotContain("s3cret");
        assertThat(load(with("oauth.console.client-secret", "s3cret")).check()).contains("confidential")
                .doesNotContain("s3cret");
    }

    @Test
    void aHalfOrUnsafeSettingStopsStartUpNamingIt() {
        assertThatThrownBy(() -> load(Map.of("oauth.console.issuer", "https://login.example.com")))
                .isInstanceOf(MissingSettingException.class).hasMessageStartingWith("Setting oauth.console.client-id");
        assertThatThrownBy(() -> load(with("oauth.console.issuer", "http://login.example.com")))
                .hasMessageStartingWith("Setting oauth.console.issuer must be an absolute https URL");
        assertThatThrownBy(() -> load(with("oauth.console.redirect-uri", "http://oauth.example.com/console/callback")))
                .hasMessageStartingWith("Setting oauth.console.redirect-uri must be an absolute https URL");
        assertThatThrownBy(() -> load(with("oauth.console.session-idle", "PT9H")))
                .hasMessageStartingWith("Setting oauth.console.session-idle is longer than oauth.console.session-max");
        assertThatThrownBy(() -> load(with("oauth.console.session-max", "eight hours")))
                .hasMessageStartingWith("Setting oauth.console.session-max must be a positive ISO-8601 duration");
        assertThat(load(with("oauth.console.issuer", "http://127.0.0.1:9000/oidc")).issuer())
                .as("http on the loopback interface, for the demo").hasToString("http://127.0.0.1:9000/oidc");
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> values = new HashMap<>(ON);
        values.put(name, value);
        return values;
    }

    /** The settings as the container loads them from {@code values}, beside an install callback on oauth.example.com. */
    static ConsoleSettings load(Map<String, String> values) {
        ConsoleSettings settings = new ConsoleSettings();
        settings.config = new SmallRyeConfigBuilder().withSources(new MapBackedConfigSource("test", values) {
        }).build();
        settings.wix = new WixSettings() {
            @Override
            public URI redirectUrl() {
                return URI.create("https://oauth.example.com/oauth/callback");
            }
        };
        settings.load();
        return settings;
    }
}

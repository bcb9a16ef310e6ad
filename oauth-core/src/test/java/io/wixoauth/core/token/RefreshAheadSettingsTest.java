package io.wixoauth.core.token;

import io.wixoauth.core.platform.MissingSettingException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Refresh ahead's settings fail closed: a value it cannot use stops start-up, naming the setting. */
class RefreshAheadSettingsTest {

    @Test
    void theDefaultsAreTheLastTenthForFiveReadsAMinute() {
        assertThat(AccessTokenCacheTest.refreshAhead(Map.of()).check())
                .isEqualTo("Refresh ahead: in the last 10.0% of a token's life, for instances read 5 times or more in "
                        + "PT1M to PT2M");
        assertThat(AccessTokenCacheTest.refreshAhead(Map.of("oauth.refresh-ahead.window", "off")).check())
                .contains("off");
    }

    @Test
    void aValueItCannotUseStopsStartUpNamingTheSetting() {
        List<Map.Entry<String, String>> bad = List.of(
                Map.entry("oauth.refresh-ahead.window", "0%"), Map.entry("oauth.refresh-ahead.window", "60%"),
                Map.entry("oauth.refresh-ahead.window", "ten"), Map.entry("oauth.refresh-ahead.min-reads", "0"),
                Map.entry("oauth.refresh-ahead.min-reads", "-1"), Map.entry("oauth.refresh-ahead.min-reads", "many"),
                Map.entry("oauth.refresh-ahead.interval", "PT0S"), Map.entry("oauth.refresh-ahead.interval", "PT2H"),
                Map.entry("oauth.refresh-ahead.interval", "a minute"));
        for (Map.Entry<String, String> setting : bad) {
            assertThatThrownBy(() -> AccessTokenCacheTest.refreshAhead(Map.ofEntries(setting)))
                    .as(setting.toString()).isInstanceOf(MissingSettingException.class)
                    .hasMessageContaining(setting.getKey()).hasMessageContaining(setting.getValue());
        }
    }
}

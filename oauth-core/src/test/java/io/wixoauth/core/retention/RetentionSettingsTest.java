package io.wixoauth.core.retention;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.wixoauth.core.platform.MissingSettingException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retention settings fail closed: a value that is not a positive duration stops start-up, naming the setting. */
class RetentionSettingsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        RetentionSettings settings = load(Map.of());

        assertThat(settings.uninstalled()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.delivered()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.failed()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.jobs()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.tombstones()).isEqualTo(Duration.ofDays(400));
        assertThat(settings.audit()).contains(Duration.ofDays(400));
        assertThat(settings.runEvery()).isEqualTo(Duration.ofHours(1));
        assertThat(load(Map.of("oauth.retention.audit", "off")).audit()).isEmpty();
    }

    @Test
    void aNegativeZeroOrUnparseableHorizonStopsStartUpNamingIt() {
        assertThatThrownBy(() -> load(Map.of("oauth.retention.delivered", "-P1D")))
                .isInstanceOf(MissingSettingException.class)
                .hasMessageStartingWith("Setting oauth.retention.delivered must be a positive ISO-8601 duration");
        assertThatThrownBy(() -> load(Map.of("oauth.retention.failed", "PT0S")))
                .hasMessageStartingWith("Setting oauth.retention.failed must be a positive");
        assertThatThrownBy(() -> load(Map.of("oauth.retention.uninstalled", "30 days")))
                .hasMessageStartingWith("Setting oauth.retention.uninstalled must be a positive");
        assertThatThrownBy(() -> load(Map.of("oauth.retention.audit", "forever")))
                .hasMessageStartingWith("Setting oauth.retention.audit must be a positive");
        assertThatThrownBy(() -> load(Map.of("oauth.retention.tombstones", "P7D")))
                .hasMessageStartingWith("Setting oauth.retention.tombstones is shorter than oauth.retention.uninstalled");
    }

    private static RetentionSettings load(Map<String, String> values) {
        RetentionSettings settings = new RetentionSettings();
        settings.config = new SmallRyeConfigBuilder().withSources(new MapBackedConfigSource("test", values) {
        }).build();
        settings.load();
        return settings;
    }
}

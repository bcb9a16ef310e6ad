package io.wixoauth.core.platform;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A misspelt setting under the service's prefixes stops start-up with its name, in either form it can be written. */
class SettingNamesTest {

    @Test
    void everySettingTheServiceReadsIsAcceptedInBothForms() {
        for (String known : SettingNames.KNOWN) {
            assertThatCode(() -> SettingNames.check(known)).as(known).doesNotThrowAnyException();
            assertThatCode(() -> SettingNames.check(MissingSettingException.environmentName(known))).as(known)
                    .doesNotThrowAnyException();
        }
        assertThatCode(() -> SettingNames.check("oauth.proxy.allowed-paths.crm-sync")).doesNotThrowAnyException();
        assertThatCode(() -> SettingNames.check("mp.jwt.verify.issuer")).as("not ours").doesNotThrowAnyException();
        assertThatCode(() -> SettingNames.check("PATH")).doesNotThrowAnyException();
    }

    @Test
    void aMisspeltSettingIsNamed() {
        assertThatThrownBy(() -> SettingNames.check("oauth.proxy.allowed-path.crm-sync"))
                .isInstanceOf(MissingSettingException.class).hasMessageContaining("oauth.proxy.allowed-path.crm-sync");
        assertThatThrownBy(() -> SettingNames.check("OAUTH_TOKEN_ENCRYPTION_KEY"))
                .isInstanceOf(MissingSettingException.class).hasMessageContaining("OAUTH_TOKEN_ENCRYPTION_KEY");
        assertThatThrownBy(() -> SettingNames.check("wix.app-secrets")).isInstanceOf(MissingSettingException.class);
        assertThatThrownBy(() -> SettingNames.check("oauth.proxy.allowed-paths.")).isInstanceOf(MissingSettingException.class);
    }

    @Test
    void aPerGroupAllowListInTheEnvironmentIsRefusedNotIgnored() {
        assertThatThrownBy(() -> SettingNames.check("OAUTH_PROXY_ALLOWED_PATHS_CRM_SYNC"))
                .isInstanceOf(MissingSettingException.class)
                .hasMessageContaining("OAUTH_PROXY_ALLOWED_PATHS_CRM_SYNC")
                .hasMessageContaining("OAUTH_PROXY_ALLOWED_PATHS as group:prefix");
    }

    @Test
    void theDocumentedSettingsAreExactlyTheKnownOnes() throws IOException {
        String page = Files.readString(Path.of("..", "docs", "configuration.md"));
        Matcher names = Pattern.compile("`((?:oauth|wix)\\.[a-z0-9.-]+)(?:\\.<group>)?`").matcher(page);
        Set<String> documented = names.results().map(m -> m.group(1)).collect(Collectors.toSet());

        assertThat(documented).containsExactlyInAnyOrderElementsOf(SettingNames.KNOWN);
    }
}

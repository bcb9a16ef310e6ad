package io.wixoauth.core.platform;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MissingSettingExceptionTest {

    @Test
    void namesThePropertyAndItsEnvironmentVariable() {
        assertThat(new MissingSettingException("wix.app-secret", "is required"))
                .hasMessage("Setting wix.app-secret is required (set the system property wix.app-secret"
                        + " or the environment variable WIX_APP_SECRET)");
    }
}

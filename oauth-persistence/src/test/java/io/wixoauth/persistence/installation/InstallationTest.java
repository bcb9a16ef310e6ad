package io.wixoauth.persistence.installation;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.TestKeys;
import io.wixoauth.persistence.crypto.TokenEncryption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The order rules for webhooks that arrive late, twice, or in the wrong order (protocol section 6). */
class InstallationTest {

    private static final Instant INSTALLED = Instant.parse("2026-05-01T10:00:00.600Z");

    private final Installation installation = new Installation(InstanceId.of(UUID.randomUUID().toString()),
            UUID.randomUUID().toString(), InstallationMode.REFRESH_TOKEN, INSTALLED);

    @BeforeAll
    static void keys() {
        TokenEncryption.install(TestKeys.ring("unit"));
    }

    @Test
    void aRemovalAfterTheInstallUninstallsAndDestroysTheToken() {
        installation.completeInstall(Secret.of("rt"), INSTALLED);

        assertThat(installation.uninstall(INSTALLED.plusSeconds(1), Instant.now())).isTrue();
        assertThat(installation.getState()).isEqualTo(InstallationState.UNINSTALLED);
        assertThat(installation.hasStoredRefreshToken()).isFalse();
        assertThat(installation.uninstall(INSTALLED.plusSeconds(2), Instant.now())).as("a duplicate").isFalse();
    }

    @Test
    void aRemovalFromBeforeOrTheSameSecondAsTheInstallChangesNothing() {
        installation.completeInstall(Secret.of("rt"), INSTALLED);

        assertThat(installation.uninstall(INSTALLED.minusSeconds(30), Instant.now())).isFalse();
        assertThat(installation.uninstall(Instant.parse("2026-05-01T10:00:00Z"), Instant.now())).isFalse();
        assertThat(installation.refreshToken()).contains(Secret.of("rt"));
    }

    @Test
    void aReturnedRefreshTokenReplacesTheStoredOneOnlyWhenItIsNew() {
        installation.completeInstall(Secret.of("rt"), INSTALLED);

        assertThat(installation.replaceRefreshToken(Secret.of("rt"), Instant.now())).isFalse();
        assertThat(installation.replaceRefreshToken(null, Instant.now())).isFalse();
        assertThat(installation.replaceRefreshToken(Secret.of("rt2"), Instant.now())).isTrue();
        assertThat(installation.refreshToken()).contains(Secret.of("rt2"));
    }
}

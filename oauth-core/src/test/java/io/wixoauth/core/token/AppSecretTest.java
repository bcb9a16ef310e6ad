package io.wixoauth.core.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.error.AppSecretRefusedException;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.TokenSource;
import io.wixoauth.core.testing.TestDatabase;
import io.wixoauth.persistence.app.AppRepository;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationMode;
import io.wixoauth.simulator.WixSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.wixoauth.core.testing.Wiring.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An app secret regenerated in Wix's dashboard (protocol section 12): Wix refuses the old one with invalid_client.
 * That is the app's failure, not the installation's: nothing about the installation changes, Wix is not asked again
 * with the same refused secret for every read, and a new secret written by one node is used by another within seconds.
 */
class AppSecretTest {

    private WixSimulator wix;
    private TestDatabase db;
    private TokenNode writer;
    private TokenNode other;

    @BeforeAll
    static void encryptionKey() {
        TokenNode.installEncryptionKey();
    }

    @BeforeEach
    void start() {
        wix = WixSimulator.start();
        db = new TestDatabase();
        writer = new TokenNode(db, wix);
        other = new TokenNode(db, wix);
    }

    @AfterEach
    void stop() {
        writer.close();
        other.close();
        db.close();
        wix.close();
    }

    @Test
    void aRefusedSecretLeavesTheInstallationAsItWasAndWixIsNotAskedAgainAtOnce() {
        InstanceId instance = InstanceId.of(wix.installApp());
        String refreshToken = wix.issueRefreshToken(instance.value());
        writer.installations.recordInstall(instance, writer.apps.defaultAppId(), Secret.of(refreshToken));
        wix.regenerateSecret();

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> writer.tokens.refresh(instance)).isInstanceOf(AppSecretRefusedException.class)
                    .hasMessageContaining("invalid_client").hasMessageNotContaining(wix.appSecret());
        }

        assertThat(wix.refusedClientCalls(wix.appId())).as("calls Wix refused, for 10 refreshes").isEqualTo(1);
        Installation after = writer.installation(instance).orElseThrow();
        assertThat(after.getMode()).isEqualTo(InstallationMode.REFRESH_TOKEN);
        assertThat(after.getFailureReason()).isNull();
        assertThat(after.refreshToken()).contains(Secret.of(refreshToken));
        assertThat(writer.metrics.count("refresh rejected")).isZero();
        assertThat(writer.metrics.count("client refused")).isEqualTo(10);
    }

    @Test
    void aSecretChangedByOneNodeIsUsedByAnotherWithinSecondsWithoutARestart() {
        InstanceId instance = InstanceId.of(wix.installApp());
        String refreshToken = wix.issueRefreshToken(instance.value());
        writer.installations.recordInstall(instance, writer.apps.defaultAppId(), Secret.of(refreshToken));
        assertThat(other.tokens.refresh(instance).source()).isEqualTo(TokenSource.REFRESH_TOKEN); // the rows read once
        String secret = wix.regenerateSecret();

        db.requiresNew(() -> set(new AppRepository(), "em", db.entityManager())
                .add(wix.appId(), Secret.of(secret), null, null, true, Instant.now(), "ops"));
        Instant written = Instant.now();

        Duration taken = null;
        while (taken == null && Duration.between(written, Instant.now()).compareTo(Duration.ofSeconds(15)) < 0) {
            try {
                other.tokens.refresh(instance);
                taken = Duration.between(written, Instant.now());
            } catch (AppSecretRefusedException e) {
                sleep();
            }
        }
        assertThat(taken).as("the other node uses the new secret within 10 s").isNotNull()
                .isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(other.installation(instance).orElseThrow().getMode()).isEqualTo(InstallationMode.REFRESH_TOKEN);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

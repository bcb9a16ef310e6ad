package io.wixoauth.web.handshake;

import io.wixoauth.web.support.Chromium;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The install as a site owner does it, in a real headless Chromium: the App URL, Wix's consent page (the simulator's),
 * a click on Approve, the callback, and Wix's close-window page. Run with {@code -Pbrowser}; needs Debian's
 * {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs.
 */
@ServiceIT
class InstallBrowserIT {

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private WebDriver browser;

    @BeforeEach
    void openBrowser() {
        browser = Chromium.open();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aSiteOwnerApprovesTheAppAndTheInstallCompletes() {
        String instanceId = env.wix().installApp();

        browser.get(env.service().resolve("oauth/install?token=" + env.wix().newInstallToken(instanceId)).toString());
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(By.id("approve")))
                .click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("/installer/close-window"));

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Installation complete");
        assertThat(env.database().installation(instanceId)).containsEntry("mode", "REFRESH_TOKEN");
        assertThat(Http.json(Http.get(env.service().resolve("api/v1/instances/" + instanceId + "/access-token"),
                env.bearer("token-reader"))).getString("source")).isEqualTo("refresh_token");
    }
}

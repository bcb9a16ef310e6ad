package io.wixoauth.web.console;

import io.wixoauth.simulator.OpenIdProvider;
import io.wixoauth.web.support.Chromium;
import io.wixoauth.web.support.EventReceiver;
import io.wixoauth.web.support.Relays;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations console as operators use it, in a real headless Chromium signing in through the demo identity
 * provider (the simulator's OpenID provider): what a viewer, an admin, an auditor and a person in no group see; an
 * admin's action recorded under their name; CSRF and forged session cookies refused; logout ending the session here
 * and at the provider. Screenshots of the pages go to {@code target/console-screenshots} (copied to docs/).
 */
@ServiceIT
class ConsoleBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
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
    void aViewerFindsAnInstallationByItsAddressButHasNoActions() {
        String instance = Installs.withRefreshToken(env);

        // A bookmarked address, opened signed out: the provider's login page, then back to the same address.
        browser.get(console("installations?q=" + instance));
        signInAs("victor");
        wait(ExpectedConditions.urlContains("/console/installations?q=" + instance));
        WebElement row = wait(ExpectedConditions.visibilityOfElementLocated(By.linkText(instance)));
        assertThat(text("person")).isEqualTo("Victor Viewer");
        assertThat(navigation()).containsExactly("Overview", "Installations", "Jobs", "Events");
        screenshot("installations");

        row.click();
        wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), instance));
        assertThat(browser.findElements(By.cssSelector("[data-action]"))).as("a viewer has no actions").isEmpty();
        assertThat(browser.getPageSource()).contains("sha256:").doesNotContain(env.wix().refreshTokenOf(instance).orElseThrow());
        assertThat(browser.getCurrentUrl()).endsWith("/console/installations/" + instance);

        browser.get(console(""));
        wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Overview"));
        assertThat(browser.findElement(By.id("main")).getText()).contains("installations on refresh token")
                .contains("failures in the last 24 hours").contains("jobs running").contains("events waiting");
        assertThat(browser.findElement(By.id("wix-health")).getText()).contains("calls go through")
                .contains("95th percentile");
        screenshot("overview");
    }

    @Test
    void anAdminActsOnAnInstallationAndTheTrailNamesThem() {
        String instance = Installs.withRefreshToken(env);
        browser.get(console("installations/" + instance));
        signInAs("ada");
        wait(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-action='force-refresh']"))).click();
        screenshot("installation-action");
        WebElement reason = wait(ExpectedConditions.visibilityOfElementLocated(By.id("action-reason")));
        reason.sendKeys("customer reports stale data (OPS-42)");
        reason.submit();

        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Force refresh"));
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "admin.force-refresh"));
        List<JsonObject> entries = Http.jsonArray(Http.get(env.service().resolve("api/admin/audit?instanceId=" + instance
                + "&action=admin.force-refresh"), env.bearer("oauth-auditor"))).stream().map(v -> v.asJsonObject()).toList();
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.getString("actor")).as("the person, as the identity provider named them").isEqualTo("ada");
            assertThat(entry.getString("reason")).isEqualTo("customer reports stale data (OPS-42)");
        });

        browser.findElement(By.linkText("Jobs")).click();
        wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Jobs"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/jobs");
        assertThat(browser.findElements(By.cssSelector(".actions button"))).extracting(WebElement::getText)
                .contains("Re-encrypt refresh tokens", "Refresh every token", "Import an install base…");
        screenshot("jobs");
    }

    @Test
    void anAdminRetriesAFailedDeliveryAndTheTrailNamesThem() throws Exception {
        try (EventReceiver backend = new EventReceiver()) {
            JsonObject subscribed = Http.json(Relays.subscribe(env.service(), backend.url(), List.of("*")));
            String id = subscribed.getJsonObject("subscription").getString("id");
            try {
                String instance = Installs.withRefreshToken(env);
                // Settled first (the dispatcher records a delivery after its receiver answered), then marked given up,
                // as after a receiver that stayed down until its retries ran out.
                String ofInstance = "subscription_id = ? AND event_seq IN (SELECT seq FROM relay_event WHERE instance_id = ?)";
                assertThat(eventually(() -> env.database().query("SELECT state FROM relay_delivery WHERE " + ofInstance,
                        id, instance), rows -> !rows.isEmpty() && rows.stream().allMatch(row -> "DELIVERED"
                        .equals(row.get("state"))), Duration.ofSeconds(15))).isNotEmpty();
                assertThat(env.database().update("UPDATE relay_delivery SET state = 'FAILED', last_status = 503, "
                        + "attempts = 12 WHERE state = 'DELIVERED' AND " + ofInstance, id, instance)).isPositive();

                browser.get(console("events/" + id + "?state=failed"));
                signInAs("ada");
                WebElement retry = wait(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-retry]")));
                String delivery = retry.getAttribute("data-retry");
                screenshot("events");
                retry.click();
                WebElement reason = wait(ExpectedConditions.visibilityOfElementLocated(By.id("action-reason")));
                reason.sendKeys("billing's receiver is back (OPS-51)");
                reason.submit();

                wait(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Retry queued"));
                assertThat(eventually(() -> env.database().query("SELECT state FROM relay_delivery WHERE id = ?",
                        Long.parseLong(delivery)).get(0).get("state"), "DELIVERED"::equals, Duration.ofSeconds(15)))
                        .as("delivered once retried").isEqualTo("DELIVERED");
                List<JsonObject> entries = Http.jsonArray(Http.get(env.service().resolve("api/admin/audit?action=relay.retry"
                        + "&actor=ada"), env.bearer("oauth-auditor"))).stream().map(v -> v.asJsonObject()).toList();
                assertThat(entries).anySatisfy(entry -> assertThat(entry.getString("details")).contains("delivery " + delivery));
            } finally {
                Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/subscriptions/" + id + "?reason=done"))
                        .header("Authorization", "Bearer " + env.bearer("oauth-admin")).DELETE().build());
            }
        }
    }

    /**
     * The jobs page imports an uploaded file with a dry run first (nothing stored), then for real; a subscription is
     * paused and resumed, and its secret rotated and shown once.
     */
    @Test
    void anAdminImportsAFileDryRunFirstAndManagesASubscription() throws Exception {
        String instance = java.util.UUID.randomUUID().toString();
        Path file = Files.createTempFile("install-base", ".ndjson");
        Files.writeString(file, jakarta.json.Json.createObjectBuilder().add("instanceId", instance)
                .add("refreshToken", env.wix().issueRefreshToken(instance)).build() + "\n");
        browser.get(console("jobs"));
        signInAs("ada");
        wait(ExpectedConditions.elementToBeClickable(By.xpath("//button[text()='Import an install base…']"))).click();
        wait(ExpectedConditions.visibilityOfElementLocated(By.id("import-file"))).sendKeys(file.toAbsolutePath().toString());
        assertThat(browser.findElement(By.id("import-dry-run")).isSelected()).as("a dry run first").isTrue();
        browser.findElement(By.id("action-reason")).sendKeys("moving the shop app's sites in (OPS-60)");
        browser.findElement(By.id("action-reason")).submit();
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Dry run: 1 of 1 lines valid"));
        assertThat(env.database().installation(instance)).as("a dry run stores nothing").isEmpty();

        assertThat(browser.findElement(By.id("import-dry-run")).isSelected()).as("then the import itself").isFalse();
        browser.findElement(By.id("action-reason")).submit();
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Import: 1 of 1 lines valid"));
        assertThat(eventually(() -> env.database().installation(instance).get("mode"), "REFRESH_TOKEN"::equals,
                Duration.ofSeconds(20))).isEqualTo("REFRESH_TOKEN");

        try (EventReceiver backend = new EventReceiver()) {
            String id = Http.json(Relays.subscribe(env.service(), backend.url(), List.of("*")))
                    .getJsonObject("subscription").getString("id");
            try {
                browser.get(console("events/" + id));
                act("Pause", "receiver maintenance (OPS-61)");
                wait(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "PAUSED"));
                act("Resume", "maintenance over");
                wait(ExpectedConditions.elementToBeClickable(By.xpath("//button[text()='Pause']")));
                assertThat(subscriptionState(id)).isEqualTo("ACTIVE");

                act("Rotate secret", "yearly rotation");
                String secret = wait(ExpectedConditions.visibilityOfElementLocated(By.id("new-secret"))).getText();
                assertThat(secret).isNotBlank();
                browser.navigate().refresh();
                wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Subscription"));
                assertThat(browser.getPageSource()).as("shown once").doesNotContain(secret);
            } finally {
                Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/subscriptions/" + id + "?reason=done"))
                        .header("Authorization", "Bearer " + env.bearer("oauth-admin")).DELETE().build());
            }
        }
    }

    /** Clicks the action's button and gives the reason it asks for. */
    private void act(String button, String reason) {
        wait(ExpectedConditions.elementToBeClickable(By.xpath("//button[text()='" + button + "']"))).click();
        WebElement why = wait(ExpectedConditions.visibilityOfElementLocated(By.id("action-reason")));
        why.sendKeys(reason);
        why.submit();
    }

    private String subscriptionState(String id) {
        return Http.json(Http.get(env.service().resolve("api/admin/subscriptions/" + id), env.bearer("oauth-viewer")))
                .getString("state");
    }

    @Test
    void anAuditorSeesTheTrailAndAPersonInNoGroupGetsNoAccess() {
        browser.get(console("audit?action=console.signed_in"));
        signInAs("audrey");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "console.signed_in"));
        assertThat(navigation()).containsExactly("Overview", "Audit");
        assertThat(browser.findElement(By.id("main")).getText()).contains("audrey");
        String export = browser.findElement(By.partialLinkText("Export the matching entries")).getAttribute("href");
        HttpResponse<String> exported = Http.send(HttpRequest.newBuilder(java.net.URI.create(export))
                .header("Cookie", "console_session=" + browser.manage().getCookieNamed("console_session").getValue())
                .GET().build());
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(exported.body().lines()).as("the export of what the page shows").isNotEmpty()
                .allSatisfy(line -> assertThat(Http.json(line).getString("action")).isEqualTo("console.signed_in"));
        browser.findElement(By.id("checkpoint")).submit();
        String result = wait(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#verify-result p"))).getText();
        screenshot("audit");
        JsonObject verified = Http.json(Http.get(env.service().resolve("api/admin/health-summary"),
                env.bearer("oauth-viewer"))).getJsonObject("auditVerified");
        assertThat(verified.getString("by")).as("the overview names who verified last").isEqualTo("audrey");
        assertThat(result).startsWith(verified.getBoolean("intact") ? "Intact: " : "Broken at entry");
        browser.findElement(By.cssSelector("#who button")).click();
        wait(ExpectedConditions.urlContains("/console/signed-out"));

        browser.get(console(""));
        signInAs("nadia");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "No access"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Nadia Nogroup").contains("oauth-viewer");
        assertThat(browser.manage().getCookieNamed("console_session")).as("no session for no group").isNull();
        assertThat(env.database().query("SELECT username FROM console_session WHERE username = ?", "nadia")).isEmpty();
    }

    @Test
    void changesWithoutTheCsrfTokenAndForgedSessionsAreRefused() {
        String instance = Installs.withRefreshToken(env);
        browser.get(console(""));
        signInAs("ada");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("person"), "Ada Admin"));
        String cookie = browser.manage().getCookieNamed("console_session").getValue();
        Cookie session = browser.manage().getCookieNamed("console_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.isSecure()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");
        long entriesBefore = auditCount(instance);

        HttpResponse<String> noToken = action(instance, cookie, null);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(Http.json(noToken).getString("error")).isEqualTo("csrf_refused");
        assertThat(action(instance, cookie, "not-the-token").statusCode()).isEqualTo(403);
        assertThat(auditCount(instance)).as("nothing done, nothing recorded").isEqualTo(entriesBefore);

        String forged = "A".repeat(43);
        assertThat(Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/installations"))
                .header("Cookie", "console_session=" + forged).GET().build()).statusCode()).isEqualTo(401);
        assertThat(Http.send(HttpRequest.newBuilder(env.service().resolve("console/session"))
                .header("Cookie", "console_session=" + forged).GET().build()).statusCode()).isEqualTo(401);

        String csrf = Http.json(Http.send(HttpRequest.newBuilder(env.service().resolve("console/session"))
                .header("Cookie", "console_session=" + cookie).GET().build())).getString("csrfToken");
        assertThat(action(instance, cookie, csrf).statusCode()).as("the same change with the token").isEqualTo(200);
    }

    @Test
    void signingOutEndsTheSessionHereAndAtTheIdentityProvider() {
        browser.get(console(""));
        signInAs("ada");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("person"), "Ada Admin"));
        String cookie = browser.manage().getCookieNamed("console_session").getValue();
        int logouts = env.wix().openIdProvider().logouts();

        browser.findElement(By.cssSelector("#who button")).click();
        wait(ExpectedConditions.urlContains("/console/signed-out"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Signed out");
        assertThat(env.wix().openIdProvider().logouts()).as("the provider's session ended too").isEqualTo(logouts + 1);
        assertThat(Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/installations"))
                .header("Cookie", "console_session=" + cookie).GET().build()).statusCode())
                .as("the old cookie, replayed").isEqualTo(401);

        browser.get(console(""));
        wait(ExpectedConditions.elementToBeClickable(By.id("person-ada")));
        assertThat(browser.getCurrentUrl()).as("asked who signs in again").contains(OpenIdProvider.PREFIX + "/authorize");
    }

    private HttpResponse<String> action(String instance, String cookie, String csrf) {
        HttpRequest.Builder request = HttpRequest.newBuilder(env.service().resolve("api/admin/installations/" + instance
                        + "/actions/force-refresh"))
                .header("Cookie", "console_session=" + cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"a page on another site\"}"));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return Http.send(request.build());
    }

    private long auditCount(String instance) {
        return Http.jsonArray(Http.get(env.service().resolve("api/admin/audit?instanceId=" + instance),
                env.bearer("oauth-auditor"))).size();
    }

    private void signInAs(String username) {
        wait(ExpectedConditions.elementToBeClickable(By.id("person-" + username))).click();
    }

    private List<String> navigation() {
        return browser.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
    }

    private String text(String id) {
        return wait(ExpectedConditions.visibilityOfElementLocated(By.id(id))).getText();
    }

    private String console(String path) {
        return env.service().resolve("console/" + path).toString();
    }

    private <T> T wait(java.util.function.Function<? super WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT).until(condition);
    }

    private void screenshot(String name) {
        try {
            Path dir = Path.of("target", "console-screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve("console-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package io.wixoauth.web.handshake;

import io.wixoauth.api.Secret;
import io.wixoauth.core.handshake.SignedState;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.Browser;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The install handshake as a site owner's browser goes through it (protocol section 2), on the built WAR. */
@ServiceIT
class HandshakeIT {

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();
    private final ServiceDatabase db = env.database();

    @AfterEach
    void clearFaults() {
        wix.clearFaults();
    }

    @Test
    void aCompleteInstallStoresTheRefreshTokenEncryptedAndServesTokensFromIt() {
        String instanceId = wix.installApp();
        Browser browser = new Browser();
        int biEventsBefore = wix.calls(Endpoint.BI_EVENT);

        HttpResponse<String> install = browser.get(installUri(wix.newInstallToken(instanceId)));
        URI consent = Browser.location(install);
        assertThat(browser.get(consent).body()).contains("Approve");
        URI callback = Browser.location(browser.approve(consent));
        HttpResponse<String> done = browser.get(callback);
        URI closeWindow = Browser.location(done);

        assertThat(closeWindow.getPath()).isEqualTo("/installer/close-window");
        assertThat(Http.get(closeWindow, null).statusCode()).as("Wix accepts the access token").isEqualTo(200);
        assertThat(browser.stateCookie()).as("the state cookie is cleared").isEmpty();
        Map<String, Object> row = db.installation(instanceId);
        assertThat(row).containsEntry("mode", "REFRESH_TOKEN").containsEntry("state", "INSTALLED");
        String refreshToken = wix.refreshTokenOf(instanceId).orElseThrow();
        assertThat((String) row.get("refresh_token")).startsWith("v1:").doesNotContain(refreshToken);
        assertThat(db.query("SELECT instance_id FROM installation WHERE refresh_token LIKE ?", "%" + refreshToken + "%"))
                .as("rows holding the refresh token in plain text").isEmpty();

        JsonObject token = Http.json(getToken(instanceId));
        assertThat(token.getString("source")).isEqualTo("refresh_token");
        assertThat(wix.isLiveAccessToken(token.getString("access_token"))).isTrue();
        awaitCalls(Endpoint.BI_EVENT, biEventsBefore + 1);
    }

    @Test
    void theInstallRedirectCarriesAFreshStateBoundToTheBrowserAndTheHeadersWixNeeds() {
        HttpResponse<String> install = new Browser().get(env.service().resolve("oauth/install"));

        assertThat(install.statusCode()).isEqualTo(302);
        Map<String, String> query = Browser.query(Browser.location(install));
        assertThat(query).containsEntry("appId", wix.appId())
                .containsEntry("redirectUrl", env.service().resolve("oauth/callback").toString())
                .doesNotContainKey("token");
        assertThat(query.get("state")).as("256 random bits, base64url").matches("[A-Za-z0-9_-]{43}");
        String cookie = install.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("__Host-wixoauth-state=" + query.get("state") + ";")
                .contains("Secure").contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
        assertThat(install.headers().firstValue("Cross-Origin-Opener-Policy")).hasValue("unsafe-none");
        assertThat(install.headers().firstValue("X-Frame-Options")).isEmpty();
        assertThat(db.query("SELECT state_hash FROM oauth_state WHERE state_hash = ?", query.get("state")))
                .as("the state itself is never stored").isEmpty();
    }

    @Test
    void issuingStatesStoresNothingAndAUsedStateCostsOneRowUntilItExpires() {
        long rowsBefore = count("SELECT COUNT(*) AS n FROM oauth_state");
        for (int i = 0; i < 200; i++) {
            assertThat(new Browser().get(env.service().resolve("oauth/install")).statusCode()).isEqualTo(302);
        }
        assertThat(count("SELECT COUNT(*) AS n FROM oauth_state")).as("rows after 200 anonymous installs")
                .isEqualTo(rowsBefore);

        Browser browser = new Browser();
        URI callback = callbackFor(browser, wix.newInstallToken(wix.installApp()));
        assertThat(browser.get(callback).statusCode()).isEqualTo(302);
        assertThat(count("SELECT COUNT(*) AS n FROM oauth_state WHERE expires_at <= ?",
                java.sql.Timestamp.from(Instant.now().plus(Duration.ofMinutes(10).plusSeconds(5)))))
                .as("the used state, remembered no longer than it could be used").isEqualTo(rowsBefore + 1);
    }

    @Test
    void forgedMissingExpiredReplayedOrForeignStatesAreRefusedWithAFriendlyPageAndNothingStored() {
        String instanceId = wix.installApp();
        Browser owner = new Browser();
        URI callback = callbackFor(owner, wix.newInstallToken(instanceId));
        Map<String, String> wixAnswer = Browser.query(callback);
        int exchangesBefore = wix.calls(Endpoint.OAUTH_ACCESS);

        assertFriendlyRefusal(owner.get(withQuery(callback, "state", UUID.randomUUID().toString())));
        assertFriendlyRefusal(owner.get(withQuery(callback, "state", null)));
        Browser attacker = new Browser();
        attacker.setStateCookie(wixAnswer.get("state") + "x");
        assertFriendlyRefusal(attacker.get(callback));
        assertFriendlyRefusal(new Browser().get(callback));
        assertThat(db.installation(instanceId)).as("nothing stored").isEmpty();
        assertThat(wix.calls(Endpoint.OAUTH_ACCESS)).as("Wix never asked").isEqualTo(exchangesBefore);

        assertThat(owner.get(callback).statusCode()).as("the real browser still can").isEqualTo(302);
        assertFriendlyRefusal(owner.get(callback));
        assertThat(db.query("SELECT COUNT(*) AS n FROM installation WHERE instance_id = ?", instanceId).get(0).get("n"))
                .as("a replayed callback adds nothing").isEqualTo(1L);

        // A state this service signed 11 minutes ago, as the browser still holds it: expired.
        Browser late = new Browser();
        URI lateCallback = callbackFor(late, wix.newInstallToken(wix.installApp()));
        String expired = SignedState.keyedBy(Secret.of(env.configuredAppSecret())).issue(Instant.now().minusSeconds(60)).reveal();
        late.setStateCookie(expired);
        assertFriendlyRefusal(late.get(withQuery(lateCallback, "state", expired)));
        assertThat(db.installation(Browser.query(lateCallback).get("instanceId"))).isEmpty();
    }

    @Test
    void aCodeFromTheAttackersOwnInstallCannotReplaceAnotherInstancesRefreshToken() {
        String victim = io.wixoauth.web.support.Installs.withRefreshToken(env);
        Map<String, Object> victimBefore = db.installation(victim);
        String attackerSite = wix.installApp();
        Browser attacker = new Browser();
        URI callback = callbackFor(attacker, wix.newInstallToken(attackerSite));
        int tokenInfoBefore = wix.calls(Endpoint.TOKEN_INFO);

        HttpResponse<String> page = attacker.get(withQuery(callback, "instanceId", victim));

        assertFriendlyRefusal(page);
        assertThat(wix.calls(Endpoint.TOKEN_INFO)).as("Wix was asked whose code it was").isGreaterThan(tokenInfoBefore);
        assertThat(db.installation(victim)).as("the victim's installation, unchanged").isEqualTo(victimBefore);
        assertThat(db.installation(attackerSite)).as("nothing under the attacker's own instance either").isEmpty();
        JsonObject token = Http.json(getToken(victim));
        assertThat(token.getString("source")).isEqualTo("refresh_token");
        assertThat(wix.instanceOfAccessToken(token.getString("access_token"))).as("a token for the victim's own site")
                .hasValue(victim);
        assertThat(db.query("SELECT outcome FROM audit_entry WHERE action = 'install.refused' "
                + "AND instance_id = ?", victim)).as("the attempt, in the audit trail under the instance it aimed at")
                .anySatisfy(row -> assertThat(row).containsEntry("outcome", "instance_not_confirmed"));
    }

    @Test
    void whenWixDoesNotAnswerAForgedCallbackLeavesAnExistingInstallationAsItWas() {
        String victim = io.wixoauth.web.support.Installs.withRefreshToken(env);
        Map<String, Object> victimBefore = db.installation(victim);
        Browser attacker = new Browser();
        URI callback = callbackFor(attacker, wix.newInstallToken(wix.installApp()));
        wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.status(503));

        HttpResponse<String> page = attacker.get(withQuery(callback, "instanceId", victim));

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.body()).contains("Wix is not answering");
        assertThat(db.installation(victim)).as("not recorded as fallen back").isEqualTo(victimBefore);
    }

    @Test
    void tenCallbacksForOneNewInstanceAtOnceEachGetAPageAndTheInstallIsRecordedOnce() throws Exception {
        String instanceId = wix.installApp();
        java.util.List<Browser> browsers = new java.util.ArrayList<>();
        java.util.List<URI> callbacks = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Browser browser = new Browser();
            browsers.add(browser);
            callbacks.add(callbackFor(browser, wix.newInstallToken(instanceId)));
        }

        java.util.List<HttpResponse<String>> pages = io.wixoauth.web.support.Concurrently.run(10,
                i -> browsers.get(i).get(callbacks.get(i)));

        assertThat(pages).as("every owner's browser lands on close-window")
                .allSatisfy(p -> assertThat(Browser.location(p).getPath()).isEqualTo("/installer/close-window"));
        assertThat(db.installation(instanceId)).containsEntry("mode", "REFRESH_TOKEN").containsEntry("state", "INSTALLED");
        assertThat(count("SELECT COUNT(*) AS n FROM audit_entry WHERE action = 'install.completed' AND instance_id = ?",
                instanceId)).as("each callback's install in the trail").isEqualTo(10L);
        assertThat(Http.json(getToken(instanceId)).getString("source")).isEqualTo("refresh_token");
    }

    private long count(String sql, Object... parameters) {
        return ((Number) db.query(sql, parameters).get(0).get("n")).longValue();
    }

    @Test
    void missingOrGarbledCodesAndInstanceIdsAreRefused() {
        for (String[] broken : new String[][]{{"code", null}, {"code", "bad code with spaces"}, {"instanceId", null},
                {"instanceId", "not-a-uuid"}, {"instanceId", "../../etc"}}) {
            String instanceId = wix.installApp();
            Browser browser = new Browser();
            URI callback = callbackFor(browser, wix.newInstallToken(instanceId));

            assertFriendlyRefusal(browser.get(withQuery(callback, broken[0], broken[1])));
            assertThat(db.installation(instanceId)).isEmpty();
        }
    }

    @Test
    void aCodeUsedTwiceIsRefusedAndChangesNothing() {
        String instanceId = wix.installApp();
        Browser first = new Browser();
        URI firstCallback = callbackFor(first, wix.newInstallToken(instanceId));
        assertThat(first.get(firstCallback).statusCode()).isEqualTo(302);
        Object storedBefore = db.installation(instanceId).get("refresh_token");

        Browser second = new Browser();
        URI secondCallback = callbackFor(second, wix.newInstallToken(instanceId));
        URI replayedCode = withQuery(secondCallback, "code", Browser.query(firstCallback).get("code"));

        assertFriendlyRefusal(second.get(replayedCode));
        assertThat(db.installation(instanceId).get("refresh_token")).isEqualTo(storedBefore);
    }

    @Test
    void reinstallingTheSameInstanceKeepsOneInstallationWithTheNewestRefreshToken() {
        String instanceId = wix.installApp();
        for (int install = 0; install < 2; install++) {
            Browser browser = new Browser();
            assertThat(browser.get(callbackFor(browser, wix.newInstallToken(instanceId))).statusCode()).isEqualTo(302);
        }

        assertThat(db.query("SELECT COUNT(*) AS n FROM installation WHERE instance_id = ?", instanceId).get(0).get("n"))
                .isEqualTo(1L);
        assertThat(Http.json(getToken(instanceId)).getString("source")).isEqualTo("refresh_token");
    }

    @Test
    void whenTheDatabaseRefusesTheRefreshTokenTheInstallFallsBackToClientCredentials() {
        String instanceId = wix.installApp();
        Browser browser = new Browser();
        URI callback = callbackFor(browser, wix.newInstallToken(instanceId));
        // A refresh token longer than its column: the database itself refuses the row (a real constraint violation).
        wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.oversizedRefreshToken(5000));

        HttpResponse<String> done = browser.get(callback);

        assertThat(done.statusCode()).as("the owner still sees a completed install").isEqualTo(302);
        URI closeWindow = Browser.location(done);
        assertThat(Http.get(closeWindow, null).statusCode()).isEqualTo(200);
        Map<String, Object> row = db.installation(instanceId);
        assertThat(row).containsEntry("mode", "CLIENT_CREDENTIALS_FALLBACK").containsEntry("refresh_token", null);
        assertThat((String) row.get("failure_reason")).contains("STORAGE_FAILED").contains("client credentials verified");
        assertThat(Http.json(getToken(instanceId)).getString("source")).isEqualTo("client_credentials");
    }

    @Test
    void whenWixDoesNotAnswerTheCodeExchangeTheInstallFallsBackToClientCredentials() {
        String instanceId = wix.installApp();
        Browser browser = new Browser();
        URI callback = callbackFor(browser, wix.newInstallToken(instanceId));
        wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.status(503));

        HttpResponse<String> done = browser.get(callback);

        assertThat(done.statusCode()).isEqualTo(302);
        assertThat((String) db.installation(instanceId).get("failure_reason")).contains("CODE_EXCHANGE_FAILED");
        assertThat(Http.json(getToken(instanceId)).getString("source")).isEqualTo("client_credentials");
    }

    @Test
    void aCallbackWixCannotBeAskedAboutLeavesNothingPermanentUntilWixVouchesForTheInstance() {
        String instanceId = wix.installApp();
        Browser browser = new Browser();
        URI callback = callbackFor(browser, wix.newInstallToken(instanceId));
        HttpResponse<String> page;
        wix.startOutage(Duration.ofSeconds(60), 503);
        try {
            page = browser.get(callback);
        } finally {
            wix.endOutage();
        }

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.body()).contains("Wix is not answering");
        Map<String, Object> claimed = db.installation(instanceId);
        assertThat(claimed.get("unconfirmed_until")).as("kept only while its state lives").isNotNull();
        assertThat(db.query("SELECT type FROM relay_event WHERE instance_id = ?", instanceId)).as("no event").isEmpty();
        assertThat(db.query("SELECT action FROM audit_entry WHERE instance_id = ?", instanceId)).as("no audit entry")
                .isEmpty();

        // Wix announces the install (its AppInstalled webhook, retried for two days): now it is kept, and told.
        assertThat(wix.webhooks().post(env.webhookUrl(), wix.webhooks().sign("AppInstalled", instanceId,
                Json.createObjectBuilder().add("appId", wix.appId()).build(), Instant.now()))).isEqualTo(200);
        Map<String, Object> confirmed = db.installation(instanceId);
        assertThat(confirmed.get("unconfirmed_until")).isNull();
        assertThat(confirmed).containsEntry("mode", "CLIENT_CREDENTIALS_FALLBACK");
        assertThat(db.query("SELECT type FROM relay_event WHERE instance_id = ? AND type = 'installation.fallen_back'",
                instanceId)).hasSize(1);
        // The instance waits out the back-off its failed fetch during the outage earned, then is served.
        HttpResponse<String> served = eventually(() -> getToken(instanceId), answer -> answer.statusCode() == 200,
                Duration.ofSeconds(30));
        assertThat(Http.json(served).getString("source")).as(served.body()).isEqualTo("client_credentials");
    }

    @Test
    void aCallbackWixCannotBeAskedAboutIsConfirmedByTheClientCredentialsWixGrantsOnceItIsBack() {
        String instanceId = wix.installApp();
        Browser browser = new Browser();
        URI callback = callbackFor(browser, wix.newInstallToken(instanceId));
        wix.startOutage(Duration.ofSeconds(60), 503);
        try {
            assertThat(browser.get(callback).statusCode()).isEqualTo(503);
        } finally {
            wix.endOutage();
        }

        // A backend asks for the site's token once Wix is back: Wix grants it, which only it can for an installed app.
        assertThat(eventually(() -> getToken(instanceId).statusCode(), status -> status == 200, Duration.ofSeconds(30)))
                .isEqualTo(200);
        assertThat(db.installation(instanceId).get("unconfirmed_until")).isNull();
        assertThat(db.query("SELECT type FROM relay_event WHERE instance_id = ? AND type = 'installation.fallen_back'",
                instanceId)).hasSize(1);
    }

    @Test
    void wixsAppInstalledDuringTheCallbackAnnouncesNoFallbackOfAnInstallThatCompletes() throws Exception {
        String instanceId = wix.installApp();
        Browser browser = new Browser();
        URI callback = callbackFor(browser, wix.newInstallToken(instanceId));
        int exchanges = wix.calls(Endpoint.OAUTH_ACCESS);
        wix.failNext(Endpoint.OAUTH_ACCESS, 1, Fault.delay(Duration.ofMillis(800))); // the code exchange takes a while

        java.util.concurrent.CompletableFuture<HttpResponse<String>> done =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> browser.get(callback));
        awaitCalls(Endpoint.OAUTH_ACCESS, exchanges + 1);
        // Wix sends AppInstalled as the install happens: here, while the callback is still exchanging its code.
        assertThat(wix.webhooks().post(env.webhookUrl(), wix.webhooks().sign("AppInstalled", instanceId,
                Json.createObjectBuilder().add("appId", wix.appId()).build(), Instant.now()))).isEqualTo(200);

        assertThat(done.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(302);
        assertThat(db.installation(instanceId)).containsEntry("mode", "REFRESH_TOKEN");
        assertThat(db.query("SELECT type FROM relay_event WHERE instance_id = ? AND type LIKE 'installation.%'",
                instanceId).stream().map(row -> row.get("type")).toList())
                .as("the backend hears of the install, not of a fallback").containsExactly("installation.completed");
    }

    private URI callbackFor(Browser browser, String installToken) {
        URI consent = Browser.location(browser.get(installUri(installToken)));
        return Browser.location(browser.approve(consent));
    }

    private URI installUri(String installToken) {
        return env.service().resolve("oauth/install?token=" + installToken);
    }

    private HttpResponse<String> getToken(String instanceId) {
        return Http.get(env.service().resolve("api/v1/instances/" + instanceId + "/access-token"), env.bearer("token-reader"));
    }

    private static void assertFriendlyRefusal(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(response.body()).contains("install the app again").containsPattern("reference: <code>[0-9a-f-]{36}</code>")
                .doesNotContain("Exception").doesNotContain("{\"error\"");
    }

    private static URI withQuery(URI uri, String name, String value) {
        Map<String, String> query = Browser.query(uri);
        if (value == null) {
            query.remove(name);
        } else {
            query.put(name, value);
        }
        StringBuilder text = new StringBuilder();
        query.forEach((k, v) -> text.append(text.length() == 0 ? "?" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return URI.create(uri.getScheme() + "://" + uri.getAuthority() + uri.getPath() + text);
    }

    private void awaitCalls(Endpoint endpoint, int atLeast) {
        assertThat(eventually(() -> wix.calls(endpoint), calls -> calls >= atLeast, Duration.ofSeconds(10)))
                .as(endpoint + " calls").isGreaterThanOrEqualTo(atLeast);
    }
}

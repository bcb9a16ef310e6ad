package io.wixoauth.web.app;

import io.wixoauth.api.Secret;
import io.wixoauth.simulator.WebhookSigner;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.AddedApps;
import io.wixoauth.web.support.BudgetMinute;
import io.wixoauth.web.support.Concurrently;
import io.wixoauth.web.support.EventReceiver;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Relays;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import io.wixoauth.web.support.Installs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The apps one deployment serves, as operations manage them: added and removed through the admin API, a secret
 * regenerated in Wix's dashboard set here without a restart, and Wix refusing the old one told apart from a failing
 * installation (protocol section 12).
 */
@ServiceIT
class AppsIT {

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();
    private final ServiceDatabase db = env.database();
    private final List<String> added = new java.util.ArrayList<>();

    /** The deployment serves one app again, as the other tests expect of it. */
    @AfterEach
    void removeAddedApps() {
        added.forEach(app -> AddedApps.remove(env, app));
    }

    /** A second app, at Wix and in the service, whose webhooks {@code signer} signs. */
    private String secondApp(WebhookSigner signer) {
        String app = wix.addApp();
        assertThat(send("POST", "", app(app, wix.appSecret(app), signer.publicKeyPem()), "oauth-admin").statusCode())
                .isEqualTo(201);
        added.add(app);
        return app;
    }

    @Test
    void anAdminAddsListsAndRemovesAnAppAndItsSecretIsNeverAnswered() {
        String appId = UUID.randomUUID().toString();
        String secret = "secret-" + UUID.randomUUID();
        String body = app(appId, secret, new WebhookSigner().publicKeyPem());

        assertThat(send("POST", "", body, "oauth-viewer").statusCode()).isEqualTo(403);
        HttpResponse<String> added = send("POST", "", body, "oauth-admin");

        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(added.headers().firstValue("Location").orElseThrow()).endsWith("/api/admin/apps/" + appId);
        JsonObject view = Http.json(added);
        assertThat(view.getString("secretFingerprint")).isEqualTo(Secret.of(secret).fingerprint());
        assertThat(view.getBoolean("defaultApp")).isFalse();
        assertThat(view.getJsonNumber("installed").longValue()).isZero();
        assertThat(send("POST", "", body, "oauth-admin").statusCode()).as("the same app twice").isEqualTo(409);

        HttpResponse<String> list = Http.get(apps(""), env.bearer("oauth-viewer"));
        assertThat(Http.jsonArray(list).getJsonObject(0).getString("appId")).isEqualTo(wix.appId());
        assertThat(Http.jsonArray(list).stream().map(v -> v.asJsonObject().getString("appId"))).contains(appId);
        assertThat(list.body() + added.body()).doesNotContain(secret).doesNotContain(wix.appSecret())
                .doesNotContain(env.configuredAppSecret()).doesNotContain("v1:");
        Object stored = db.query("SELECT secret FROM wix_app WHERE app_id = ?", appId).get(0).get("secret");
        assertThat(stored.toString()).startsWith("v1:").doesNotContain(secret);

        assertThat(send("DELETE", "/" + appId, null, "oauth-admin").statusCode()).as("no reason").isEqualTo(400);
        assertThat(send("DELETE", "/" + wix.appId() + "?reason=done", null, "oauth-admin").statusCode())
                .as("the default app").isEqualTo(409);
        assertThat(send("DELETE", "/" + appId + "?reason=app%20retired", null, "oauth-admin").statusCode()).isEqualTo(204);
        assertThat(Http.get(apps("/" + appId), env.bearer("oauth-viewer")).statusCode()).isEqualTo(404);
        assertThat(audit("app.added")).anySatisfy(entry -> assertThat(entry.getString("details")).contains(appId));
        assertThat(audit("app.removed")).anySatisfy(entry -> assertThat(entry.getString("details")).contains(appId));
    }

    /**
     * A second app's webhooks arrive at its own address and are verified with its own key only (protocol section 12);
     * the installation they record is that app's, and its tokens are issued with that app's secret.
     */
    @Test
    void eachAppsWebhooksAreVerifiedWithItsOwnKeyAndItsInstallationsUseItsOwnSecret() {
        WebhookSigner signer = new WebhookSigner();
        String app = secondApp(signer);
        String instance = wix.installAppFor(app);
        URI address = env.service().resolve("webhooks/wix/" + app);
        JsonObject data = Json.createObjectBuilder().add("appId", app).build();
        String installed = signer.sign("AppInstalled", instance, data, java.time.Instant.now());

        try (EventReceiver backend = new EventReceiver()) {
            assertThat(Relays.subscribe(env.service(), backend.url(), List.of("wix.AppInstalled")).statusCode())
                    .isEqualTo(201);
            assertThat(signer.post(env.webhookUrl(), installed)).as("at the default app's address").isEqualTo(401);
            assertThat(wix.webhooks().post(address, wix.webhooks().sign("AppInstalled", instance, data,
                    java.time.Instant.now()))).as("signed with the default app's key").isEqualTo(401);
            assertThat(signer.post(env.service().resolve("webhooks/wix/" + UUID.randomUUID()), installed))
                    .as("an app nobody added").isEqualTo(404);
            assertThat(db.installation(instance)).as("nothing recorded by a refused webhook").isEmpty();

            assertThat(signer.post(address, installed)).isEqualTo(200);

            assertThat(db.installation(instance).get("app_id")).isEqualTo(app);
            int calls = wix.authenticatedCalls(app);
            HttpResponse<String> token = env.accessToken(instance);
            assertThat(token.statusCode()).isEqualTo(200);
            assertThat(Http.json(token).getString("source")).isEqualTo("client_credentials");
            assertThat(wix.authenticatedCalls(app) - calls).as("token calls with the second app's secret").isEqualTo(1);
            JsonObject relayed = Relays.payload(eventually(() -> Relays.eventsFor(backend, instance).stream()
                    .findFirst().orElse(null), e -> e != null, Duration.ofSeconds(10)));
            assertThat(relayed.getJsonObject("data").getString("appId")).isEqualTo(app);
        }
    }

    /**
     * With two apps, an instance the service has no record of needs its app named; a named app must be the instance's:
     * never a token of another app.
     */
    @Test
    void aBackendNamesTheAppOfAnInstanceTheServiceHasNotSeenAndNeverGetsAnotherAppsToken() {
        String app = secondApp(new WebhookSigner());
        String unseen = wix.installAppFor(app);

        HttpResponse<String> unnamed = env.accessToken(unseen);
        assertThat(unnamed.statusCode()).isEqualTo(400);
        assertThat(Http.json(unnamed).getString("error")).isEqualTo("app_required");
        int calls = wix.authenticatedCalls(app);
        HttpResponse<String> named = appToken(app, unseen);
        assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
        assertThat(wix.isLiveAccessToken(Http.json(named).getString("access_token"))).isTrue();
        assertThat(wix.authenticatedCalls(app) - calls).as("issued with the second app's secret").isEqualTo(1);
        assertThat(appToken(wix.appId(), unseen).statusCode()).as("the default app's, for the other's instance")
                .isEqualTo(404);

        String known = Installs.withRefreshToken(env);
        assertThat(Http.json(appToken(wix.appId(), known)).getString("source")).isEqualTo("refresh_token");
        HttpResponse<String> wrongApp = appToken(app, known);
        assertThat(wrongApp.statusCode()).as("a known instance of the default app, named as the other's").isEqualTo(404);
        assertThat(wrongApp.body()).doesNotContain("access_token");
        assertThat(appToken("not-an-app", known).statusCode()).isEqualTo(400);
        assertThat(Http.json(appToken(UUID.randomUUID().toString(), unseen)).getString("error"))
                .as("an app nobody added").isEqualTo("unknown_app");
        assertThat(Http.get(env.service().resolve("api/v1/apps/" + app + "/instances/" + unseen + "/access-token"),
                null).statusCode()).as("no bearer token").isEqualTo(401);

        // The Wix API proxy takes the same explicit form: it calls Wix with the named app's token for the instance.
        String caller = env.bearer("wix-caller");
        HttpResponse<String> proxied = Http.get(env.service().resolve("api/v1/apps/" + app + "/instances/" + unseen
                + "/wix/apps/v1/instance"), caller);
        assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(200);
        assertThat(Http.json(proxied).getJsonObject("instance").getString("instanceId")).isEqualTo(unseen);
        assertThat(Http.get(env.service().resolve("api/v1/apps/" + wix.appId() + "/instances/" + unseen
                + "/wix/apps/v1/instance"), caller).statusCode()).as("named as the default app's").isEqualTo(404);
    }

    /**
     * Proxy budgets are each app's instance's own: a busy instance of one app spends its own calls for the minute, and
     * an instance of another app is called as before; the refusals are counted under the busy app.
     */
    @Test
    void eachAppsInstancesKeepTheirOwnProxyBudget() {
        String app = secondApp(new WebhookSigner());
        String busy = wix.installAppFor(app);
        String other = wix.installApp();
        int budget = 180; // oauth.proxy.calls-per-minute, the default
        BudgetMinute.awaitRoomInTheMinute();
        double before = throttled(app);
        double beforeDefault = throttled(wix.appId());

        List<HttpResponse<String>> answers = Concurrently.run(8, i -> {
            List<HttpResponse<String>> mine = new java.util.ArrayList<>();
            for (int n = 0; n < 25; n++) {
                mine.add(proxied(app, busy));
            }
            return mine;
        }).stream().flatMap(List::stream).toList();

        assertThat(answers.stream().filter(a -> a.statusCode() == 200)).as("calls made").hasSize(budget);
        assertThat(answers.stream().filter(a -> a.statusCode() == 429)).as("refused by the service").hasSize(200 - budget);
        assertThat(wix.receivedFor(busy)).as("calls that reached Wix with the second app's token").hasSize(budget);
        HttpResponse<String> otherApp = proxied(wix.appId(), other);
        assertThat(otherApp.statusCode()).as("the default app's instance, the same minute").isEqualTo(200);
        assertThat(throttled(app) - before).as("counted under the busy app").isEqualTo(200 - budget);
        assertThat(throttled(wix.appId())).as("nothing under the other").isEqualTo(beforeDefault);
    }

    private HttpResponse<String> proxied(String app, String instanceId) {
        return Http.get(env.service().resolve("api/v1/apps/" + app + "/instances/" + instanceId
                + "/wix/contacts/v4/contacts"), env.bearer("wix-caller"));
    }

    private double throttled(String app) {
        String metrics = Http.get(env.service().resolve("metrics?scope=application"), null).body();
        Matcher sample = Pattern.compile("oauth_wix_calls_throttled_total\\{[^}]*app=\"" + app
                + "\"[^}]*by=\"budget\"[^}]*} ([0-9.]+)").matcher(metrics);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    private HttpResponse<String> appToken(String app, String instanceId) {
        return Http.get(env.service().resolve("api/v1/apps/" + app + "/instances/" + instanceId + "/access-token"),
                env.bearer("token-reader"));
    }

    /**
     * Each app its own install link and Redirect URL (protocol section 2): the code is exchanged with that app's secret,
     * Wix confirms the instance for that app, and the refresh token is stored under it; another app's link is refused.
     */
    @Test
    void eachAppHasItsOwnInstallLinkAndCallbackAndItsRefreshTokenIsItsOwn() {
        String app = wix.addApp();
        String callback = env.service().resolve("oauth/callback/" + app).toString();
        wix.registerRedirectUrls(app, List.of(callback));
        assertThat(send("POST", "", Json.createObjectBuilder().add("appId", app).add("secret", wix.appSecret(app))
                .add("webhookPublicKeys", wix.webhooks(app).publicKeyPem()).add("redirectUrl", callback)
                .add("reason", "a second app with custom authentication").build().toString(), "oauth-admin")
                .statusCode()).isEqualTo(201);
        added.add(app);
        String instance = wix.installAppFor(app);
        int calls = wix.authenticatedCalls(app);

        io.wixoauth.web.support.Browser browser = new io.wixoauth.web.support.Browser();
        URI consent = io.wixoauth.web.support.Browser.location(browser.get(env.service().resolve("oauth/install/" + app
                + "?token=" + wix.newInstallToken(instance))));
        assertThat(consent.getQuery()).contains("appId=" + app);
        HttpResponse<String> completed = browser.get(io.wixoauth.web.support.Browser.location(browser.approve(consent)));

        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(302);
        assertThat(completed.headers().firstValue("Location").orElseThrow()).contains("/installer/close-window");
        java.util.Map<String, Object> stored = db.installation(instance);
        assertThat(stored.get("app_id")).isEqualTo(app);
        assertThat(stored.get("mode")).isEqualTo("REFRESH_TOKEN");
        assertThat(wix.authenticatedCalls(app) - calls).as("the code exchanged with the second app's secret").isPositive();
        HttpResponse<String> token = Http.get(env.service().resolve("api/v1/apps/" + app + "/instances/" + instance
                + "/access-token"), env.bearer("token-reader"));
        assertThat(Http.json(token).getString("source")).isEqualTo("refresh_token");

        // The trail and the metrics name the app: operations look at one app's installs without knowing its instances.
        List<JsonObject> ofApp = Http.jsonArray(Http.get(env.service().resolve("api/admin/audit?appId=" + app
                + "&cursor=0&limit=100"), env.bearer("oauth-auditor"))).stream().map(v -> v.asJsonObject()).toList();
        assertThat(ofApp).anySatisfy(entry -> {
            assertThat(entry.getString("action")).isEqualTo("install.completed");
            assertThat(entry.getString("instanceId")).isEqualTo(instance);
        }).allSatisfy(entry -> assertThat(entry.getString("appId")).isEqualTo(app));
        assertThat(Http.jsonArray(Http.get(env.service().resolve("api/admin/audit?appId=" + wix.appId()
                + "&instanceId=" + instance), env.bearer("oauth-auditor")))).as("none under the default app").isEmpty();
        assertThat(Http.get(env.service().resolve("metrics?scope=application"), null).body()).containsPattern(
                "oauth_installs_total\\{[^}]*app=\"" + app + "\"[^}]*outcome=\"refresh_token\"[^}]*} 1");

        HttpResponse<String> unknown = Http.get(env.service().resolve("oauth/install/" + UUID.randomUUID()), null);
        assertThat(unknown.statusCode()).as("a page for the site owner, as for every refused install").isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(unknown.body()).contains("Unknown app");
        String withoutHandshake = secondApp(new WebhookSigner());
        HttpResponse<String> noRedirect = Http.get(env.service().resolve("oauth/install/" + withoutHandshake), null);
        assertThat(noRedirect.statusCode()).isEqualTo(400);
        assertThat(noRedirect.body()).contains("need no redirect");
        assertThat(db.query("SELECT instance_id FROM installation WHERE app_id = ?", withoutHandshake)).isEmpty();
    }

    /**
     * Once an app's install base is on client credentials its handshake is switched off: its install link says installs
     * need no redirect, for the default app as for another, and switching it on again brings the consent page back.
     */
    @Test
    void anAppsHandshakeIsSwitchedOffAndOnWithoutARestart() {
        String defaultApp = wix.appId();
        URI defaultLink = env.service().resolve("oauth/install");
        assertThat(Http.get(defaultLink, null).statusCode()).as("on, as configured").isEqualTo(302);
        String known = Installs.withRefreshToken(env);
        try {
            HttpResponse<String> off = send("PATCH", "/" + defaultApp, handshake(false, null), "oauth-admin");
            assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
            assertThat(Http.json(off).getBoolean("handshake")).isFalse();
            assertThat(Http.json(off).getString("secretSource")).as("its secret still the setting's").isEqualTo("setting");
            HttpResponse<String> page = Http.get(defaultLink, null);
            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.body()).contains("need no redirect");
            assertThat(Http.get(env.service().resolve("oauth/install/" + defaultApp), null).body())
                    .contains("need no redirect");
            assertThat(Http.json(env.accessToken(known)).getString("source")).as("tokens are served as before")
                    .isEqualTo("refresh_token");
            assertThat(Http.json(env.accessToken(wix.installApp())).getString("source"))
                    .as("a new install needs no redirect: client credentials").isEqualTo("client_credentials");
            assertThat(audit("app.handshake_changed")).anySatisfy(entry -> {
                assertThat(entry.getString("outcome")).isEqualTo("handshake off");
                assertThat(entry.getString("appId")).isEqualTo(defaultApp);
            });
        } finally {
            HttpResponse<String> on = send("PATCH", "/" + defaultApp, handshake(true, null), "oauth-admin");
            assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
            db.update("DELETE FROM wix_app WHERE app_id = ? AND secret IS NULL", defaultApp);
        }
        assertThat(Http.get(defaultLink, null).statusCode()).as("on again").isEqualTo(302);

        String app = secondApp(new WebhookSigner());
        String callback = env.service().resolve("oauth/callback/" + app).toString();
        HttpResponse<String> noUrl = send("PATCH", "/" + app, handshake(true, null), "oauth-admin");
        assertThat(noUrl.statusCode()).as("on, with no Redirect URL to use").isEqualTo(400);
        assertThat(Http.json(noUrl).getString("error_description")).contains("redirectUrl");
        assertThat(send("PATCH", "/" + app, handshake(true, callback), "oauth-admin").statusCode()).isEqualTo(200);
        wix.registerRedirectUrls(app, List.of(callback));
        String instance = wix.installAppFor(app);
        URI link = env.service().resolve("oauth/install/" + app + "?token=" + wix.newInstallToken(instance));
        assertThat(Http.get(link, null).statusCode()).as("on: to Wix's consent page").isEqualTo(302);
        assertThat(Http.json(send("PATCH", "/" + app, handshake(false, null), "oauth-admin")).getString("redirectUrl"))
                .as("kept for switching on again").isEqualTo(callback);
        assertThat(Http.get(link, null).body()).contains("need no redirect");

        Map<String, String> bad = Map.of(
                "no handshake", Json.createObjectBuilder().add("reason", "r").build().toString(),
                "no reason", Json.createObjectBuilder().add("handshake", false).build().toString(),
                "a default app's Redirect URL", handshake(true, callback));
        bad.forEach((what, body) -> {
            HttpResponse<String> refused = send("PATCH", "/" + (what.startsWith("a default") ? defaultApp : app), body,
                    "oauth-admin");
            assertThat(refused.statusCode()).as(what).isEqualTo(400);
            assertThat(Http.json(refused).getString("error")).as(what).isNotBlank();
        });
        assertThat(send("PATCH", "/" + UUID.randomUUID(), handshake(false, null), "oauth-admin").statusCode())
                .as("an app nobody added").isEqualTo(404);
        assertThat(send("PATCH", "/" + app, handshake(true, null), "oauth-viewer").statusCode())
                .as("not an admin").isEqualTo(403);
        assertThat(Http.get(link, null).body()).as("nothing changed by the refusals").contains("need no redirect");
    }

    private static String handshake(boolean on, String redirectUrl) {
        jakarta.json.JsonObjectBuilder body = Json.createObjectBuilder().add("handshake", on)
                .add("reason", on ? "custom authentication again" : "every installation is on client credentials");
        if (redirectUrl != null) {
            body.add("redirectUrl", redirectUrl);
        }
        return body.build().toString();
    }

    /** A subscription may take some apps' events only; one without appIds takes every app's. */
    @Test
    void aSubscriptionForOneAppHearsOnlyThatAppsEvents() {
        WebhookSigner signer = new WebhookSigner();
        String app = secondApp(signer);
        try (EventReceiver onlyTheSecond = new EventReceiver(); EventReceiver every = new EventReceiver()) {
            HttpResponse<String> filtered = Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/subscriptions"))
                    .header("Authorization", "Bearer " + env.bearer("oauth-admin")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder()
                            .add("url", onlyTheSecond.url().toString()).add("eventTypes", Json.createArrayBuilder().add("*"))
                            .add("appIds", Json.createArrayBuilder().add(app)).add("reason", "the shop team").build()
                            .toString())).build());
            assertThat(filtered.statusCode()).as(filtered.body()).isEqualTo(201);
            String subscription = Http.json(filtered).getJsonObject("subscription").getString("id");
            assertThat(Http.json(filtered).getJsonObject("subscription").getJsonArray("appIds").getString(0)).isEqualTo(app);
            assertThat(Relays.subscribe(env.service(), every.url(), List.of("*")).statusCode()).isEqualTo(201);

            String theirs = wix.installAppFor(app);
            assertThat(signer.post(env.service().resolve("webhooks/wix/" + app), signer.sign("AppInstalled", theirs,
                    Json.createObjectBuilder().add("appId", app).build(), java.time.Instant.now()))).isEqualTo(200);
            String ours = wix.installApp();
            assertThat(wix.webhooks().post(env.webhookUrl(), wix.webhooks().sign("AppInstalled", ours,
                    Json.createObjectBuilder().add("appId", wix.appId()).build(), java.time.Instant.now()))).isEqualTo(200);

            assertThat(eventually(() -> !Relays.eventsFor(every, theirs).isEmpty() && !Relays.eventsFor(every, ours).isEmpty(),
                    Duration.ofSeconds(10))).as("the unfiltered subscription hears both apps").isTrue();
            assertThat(eventually(() -> !Relays.eventsFor(onlyTheSecond, theirs).isEmpty(), Duration.ofSeconds(10))).isTrue();
            assertThat(db.query("SELECT d.id FROM relay_delivery d JOIN relay_event e ON e.seq = d.event_seq "
                    + "WHERE d.subscription_id = ? AND e.instance_id = ?", subscription, ours))
                    .as("no delivery of the default app's events to a subscription for the second app").isEmpty();
        }
        HttpResponse<String> unknownApp = Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/subscriptions"))
                .header("Authorization", "Bearer " + env.bearer("oauth-admin")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://backend.example.com/x\",\"eventTypes\":[\"*\"],"
                        + "\"appIds\":[\"" + UUID.randomUUID() + "\"],\"reason\":\"typo\"}")).build());
        assertThat(unknownApp.statusCode()).isEqualTo(400);
    }

    @Test
    void badAppsAreRefusedWithAClearErrorAndNothingStored() {
        String appId = UUID.randomUUID().toString();
        String key = new WebhookSigner().publicKeyPem();
        Map<String, String> bodies = Map.of(
                "not a UUID", app("my-app", "s3cret", key),
                "no key", app(appId, "s3cret", ""),
                "not a key", app(appId, "s3cret", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
                "a secret with spaces", app(appId, "two words", key),
                "no object", "[]");
        bodies.forEach((what, body) -> {
            HttpResponse<String> refused = send("POST", "", body, "oauth-admin");
            assertThat(refused.statusCode()).as(what).isEqualTo(400);
            assertThat(Http.json(refused).getString("error")).as(what).isNotBlank();
            assertThat(refused.body()).as(what).doesNotContain("s3cret").doesNotContain("Exception");
        });
        assertThat(db.query("SELECT app_id FROM wix_app WHERE app_id = ?", appId)).isEmpty();
        assertThat(send("PUT", "/" + UUID.randomUUID() + "/secret", secretChange("s3cret"), "oauth-admin").statusCode())
                .as("an app nobody added").isEqualTo(404);
    }

    /**
     * Wix regenerates the secret: the old one is refused with invalid_client. The installation stays exactly as it is
     * (no fallback, no mark), operations hear of it, and Wix is not asked again with the refused secret for every read;
     * once an operator sets the new secret, the same read succeeds, with no restart.
     */
    @Test
    void aSecretRegeneratedAtWixFailsNoInstallationAndIsTakenWithoutARestart() throws Exception {
        try (EventReceiver backend = new EventReceiver()) {
            assertThat(Relays.subscribe(env.service(), backend.url(), List.of("app.secret_refused")).statusCode())
                    .isEqualTo(201);
            String instanceId = Installs.withRefreshToken(env);
            assertThat(env.accessToken(instanceId).statusCode()).isEqualTo(200);
            Map<String, Object> before = db.installation(instanceId);
            String refused = secretInForce();

            String secret = wix.regenerateSecret();
            int refusedCallsBefore = wix.refusedClientCalls(wix.appId());
            // The cached token is served until it goes stale (5 s here); then every read meets Wix's refusal.
            HttpResponse<String> failing = eventually(() -> env.accessToken(instanceId),
                    r -> r.statusCode() != 200, Duration.ofSeconds(15));
            for (int i = 0; i < 20; i++) {
                failing = env.accessToken(instanceId);
            }

            assertThat(failing.statusCode()).isEqualTo(502);
            assertThat(Http.json(failing).getString("error")).isEqualTo("app_secret_refused");
            assertThat(failing.body()).doesNotContain(secret).doesNotContain(refused);
            assertThat(wix.refusedClientCalls(wix.appId()) - refusedCallsBefore)
                    .as("calls to Wix with the refused secret, for 21 reads").isBetween(1, 3);
            Map<String, Object> during = db.installation(instanceId);
            assertThat(during.get("mode")).isEqualTo("REFRESH_TOKEN");
            assertThat(during.get("state")).isEqualTo(before.get("state"));
            assertThat(during.get("refresh_token")).isEqualTo(before.get("refresh_token"));
            assertThat(refusedCount()).isPositive();
            JsonObject view = Http.json(Http.get(apps("/" + wix.appId()), env.bearer("oauth-viewer")));
            assertThat(view.getString("secretRefused", null)).isNotNull();
            JsonObject event = Relays.payload(eventually(() -> backend.received().stream()
                    .filter(e -> Relays.payload(e).getString("type").equals("app.secret_refused")).findFirst()
                    .orElse(null), e -> e != null, Duration.ofSeconds(10)));
            assertThat(event.getJsonObject("data").getString("appId")).isEqualTo(wix.appId());
            assertThat(event.getJsonObject("data").getString("secretFingerprint")).isEqualTo(Secret.of(refused).fingerprint());

            assertThat(send("PUT", "/" + wix.appId() + "/secret", secretChange(secret), "oauth-viewer").statusCode())
                    .isEqualTo(403);
            HttpResponse<String> changed = send("PUT", "/" + wix.appId() + "/secret", secretChange(secret), "oauth-admin");

            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(changed.body()).doesNotContain(secret);
            assertThat(Http.json(changed).getString("secretFingerprint")).isEqualTo(Secret.of(secret).fingerprint());
            assertThat(Http.json(changed).getString("secretSource")).isEqualTo("admin_api");
            assertThat(Http.json(changed).getString("secretRefused", null)).isNull();
            HttpResponse<String> served = env.accessToken(instanceId);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(Http.json(served).getString("source")).isEqualTo("refresh_token");
            assertThat(db.installation(instanceId).get("mode")).isEqualTo("REFRESH_TOKEN");
            assertThat(audit("app.secret_changed")).anySatisfy(entry -> assertThat(entry.getString("details"))
                    .contains(Secret.of(secret).fingerprint()).doesNotContain(secret));
        }
    }

    private String secretInForce() {
        return wix.appSecret();
    }

    private double refusedCount() {
        String metrics = Http.get(env.service().resolve("metrics?scope=application"), null).body();
        Matcher sample = Pattern.compile("oauth_wix_client_refused_total\\{[^}]*app=\"" + wix.appId()
                + "\"[^}]*} ([0-9.]+)").matcher(metrics);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    private List<JsonObject> audit(String action) {
        return Http.jsonArray(Http.get(env.service().resolve("api/admin/audit?action=" + action + "&cursor=0&limit=50"),
                env.bearer("oauth-auditor"))).stream().map(v -> v.asJsonObject()).toList();
    }

    private static String app(String appId, String secret, String keys) {
        return Json.createObjectBuilder().add("appId", appId).add("secret", secret).add("webhookPublicKeys", keys)
                .add("reason", "a second app").build().toString();
    }

    private static String secretChange(String secret) {
        return Json.createObjectBuilder().add("secret", secret).add("reason", "regenerated after a leak").build()
                .toString();
    }

    private URI apps(String path) {
        return env.service().resolve("api/admin/apps" + path);
    }

    private HttpResponse<String> send(String method, String path, String body, String group) {
        HttpRequest.Builder request = HttpRequest.newBuilder(apps(path))
                .header("Authorization", "Bearer " + env.bearer(group));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return Http.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }
}

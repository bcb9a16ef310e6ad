package io.wixoauth.simulator;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator is exactly as strict as the protocol page: a fake that accepts anything proves nothing. */
class WixSimulatorTest {

    private static final String REDIRECT = "http://127.0.0.1:1/oauth/callback";

    private final WixSimulator wix = WixSimulator.start(SimulatorSettings.random().withRedirectUrls(List.of(REDIRECT)), 0);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        wix.close();
    }

    @Test
    void issuesAClientCredentialsTokenForAnInstalledInstance() throws Exception {
        String instanceId = wix.installApp();

        HttpResponse<String> response = postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-wix-request-id")).isPresent();
        JsonObject body = json(response);
        assertThat(body.getString("token_type")).isEqualTo("Bearer");
        assertThat(body.getJsonNumber("expires_in").longValue()).isEqualTo(14400);
        assertThat(wix.isLiveAccessToken(body.getString("access_token"))).isTrue();
        assertThat(wix.calls(Endpoint.CREATE_ACCESS_TOKEN)).isEqualTo(1);
    }

    @Test
    void refusesWrongSecretsGrantsBodiesAndInstances() throws Exception {
        String instanceId = wix.installApp();

        assertThat(postJson("/oauth2/token", clientCredentials("wrong", instanceId)).statusCode()).isEqualTo(401);
        assertThat(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId).replace("client_credentials", "password"))
                .statusCode()).isEqualTo(400);
        assertThat(postJson("/oauth2/token", clientCredentials(wix.appSecret(), java.util.UUID.randomUUID().toString()))
                .statusCode()).isEqualTo(400);
        assertThat(postJson("/oauth2/token", "{not json").statusCode()).isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .POST(HttpRequest.BodyPublishers.ofString(clientCredentials(wix.appSecret(), instanceId)))).statusCode())
                .as("no application/json content type").isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(uri("/oauth2/token")).GET()).statusCode()).isEqualTo(405);
        assertThat(send(HttpRequest.newBuilder(uri("/nowhere")).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void anInstanceIsOneAppsAndAnotherAppsCredentialsGetNoTokenForIt() throws Exception {
        String other = wix.addApp();
        String ours = wix.installApp();
        String theirs = wix.installAppFor(other);
        String asOther = Json.createObjectBuilder().add("grant_type", "client_credentials").add("client_id", other)
                .add("client_secret", wix.appSecret(other)).add("instance_id", theirs).build().toString();

        HttpResponse<String> issued = postJson("/oauth2/token", asOther);
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(postJson("/oauth2/token", asOther.replace(theirs, ours)).statusCode()).as("our instance").isEqualTo(400);
        assertThat(postJson("/oauth2/token", clientCredentials(wix.appSecret(), theirs)).statusCode())
                .as("their instance with our credentials").isEqualTo(400);
        JsonObject info = json(postJson("/oauth2/token-info", Json.createObjectBuilder()
                .add("token", json(issued).getString("access_token")).build().toString()));
        assertThat(info.getString("clientId")).isEqualTo(other);
        assertThat(wix.authenticatedCalls(other)).isEqualTo(2);
    }

    @Test
    void aRegeneratedSecretReplacesTheOldOneAtOnce() throws Exception {
        String instanceId = wix.installApp();
        String old = wix.appSecret();

        HttpResponse<String> regenerated = postJson("/simulator/apps/" + wix.appId() + "/secret", "{}");
        String secret = json(regenerated).getString("secret");

        assertThat(secret).isNotEqualTo(old).isEqualTo(wix.appSecret());
        HttpResponse<String> refused = postJson("/oauth2/token", clientCredentials(old, instanceId));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).getString("error")).isEqualTo("invalid_client");
        assertThat(postJson("/oauth2/token", clientCredentials(secret, instanceId)).statusCode()).isEqualTo(200);
        assertThat(wix.refusedClientCalls(wix.appId())).isEqualTo(1);
        assertThat(wix.authenticatedCalls(wix.appId())).isEqualTo(1);
        assertThat(wix.issuedSecrets()).contains(old, secret);
    }

    @Test
    void theInstallHandshakeIssuesASingleUseCodeForARefreshTokenThatDoesNotRotate() throws Exception {
        HttpResponse<String> consent = send(HttpRequest.newBuilder(installUri(Map.of("state", "s1"))).GET());
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("Approve");

        HttpResponse<String> approved = send(HttpRequest.newBuilder(uri("/installer/install"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("appId", wix.appId(), "redirectUrl", REDIRECT, "state", "s1")))));
        assertThat(approved.statusCode()).isEqualTo(302);
        String location = approved.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?code=").contains("&state=s1&instanceId=");
        String code = location.replaceAll(".*code=([^&]+).*", "$1");

        HttpResponse<String> exchanged = postJson("/oauth/access", codeExchange(code));
        assertThat(exchanged.statusCode()).isEqualTo(200);
        String refreshToken = json(exchanged).getString("refresh_token");
        assertThat(postJson("/oauth/access", codeExchange(code)).statusCode()).as("a code is single-use").isEqualTo(400);

        HttpResponse<String> refreshed = postJson("/oauth/access/", refresh(refreshToken));
        assertThat(refreshed.statusCode()).as("trailing slash accepted").isEqualTo(200);
        assertThat(json(refreshed).getString("refresh_token")).isEqualTo(refreshToken);
        String accessToken = json(refreshed).getString("access_token");
        assertThat(send(HttpRequest.newBuilder(uri("/installer/close-window?access_token=" + accessToken)).GET()).statusCode())
                .isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/installer/close-window?access_token=forged")).GET()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void refusesInstallsForOtherAppsOrUnregisteredRedirects() throws Exception {
        assertThat(send(HttpRequest.newBuilder(installUri(Map.of("redirectUrl", "https://evil.example/cb"))).GET()).statusCode())
                .isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(installUri(Map.of("appId", java.util.UUID.randomUUID().toString()))).GET())
                .statusCode()).isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(installUri(Map.of("token", "unknown"))).GET()).statusCode()).isEqualTo(400);
    }

    @Test
    void refreshTokensDieWithTheInstallation() throws Exception {
        String instanceId = wix.installApp();
        String refreshToken = json(postJson("/oauth/access", codeExchange(codeFor(instanceId)))).getString("refresh_token");

        wix.uninstallApp(instanceId);

        assertThat(postJson("/oauth/access", refresh(refreshToken)).statusCode()).isEqualTo(400);
        assertThat(postJson("/oauth/access", refresh("made-up")).statusCode()).isEqualTo(400);
    }

    @Test
    void aRevokedRefreshTokenIsRefusedWhileTheAppStaysInstalled() throws Exception {
        String instanceId = wix.installApp();
        String refreshToken = json(postJson("/oauth/access", codeExchange(codeFor(instanceId)))).getString("refresh_token");

        wix.revokeRefreshToken(instanceId);

        HttpResponse<String> refused = postJson("/oauth/access", refresh(refreshToken));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).getString("error")).isEqualTo("invalid_grant");
        assertThat(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId)).statusCode()).isEqualTo(200);
    }

    @Test
    void eachInstanceHasItsOwnPerMinuteLimitAnsweredWith429AndRetryAfter() throws Exception {
        wix.limitCallsPerMinute(3);
        String busy = wix.installApp();
        String quiet = wix.installApp();
        for (int i = 0; i < 3; i++) {
            assertThat(postJson("/oauth2/token", clientCredentials(wix.appSecret(), busy)).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> throttled = postJson("/oauth2/token", clientCredentials(wix.appSecret(), busy));

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(postJson("/oauth2/token", clientCredentials(wix.appSecret(), quiet)).statusCode()).isEqualTo(200);
        assertThat(wix.rateLimited()).isEqualTo(1);
    }

    @Test
    void tokenInfoAnswersForTokensItIssued() throws Exception {
        String instanceId = wix.installApp();
        String token = json(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId))).getString("access_token");

        JsonObject info = json(postJson("/oauth2/token-info", "{\"token\":\"" + token + "\"}"));
        assertThat(info.getString("active")).isEqualTo("true");
        assertThat(info.getString("instanceId")).isEqualTo(instanceId);
        assertThat(json(postJson("/oauth2/token-info", "{\"token\":\"forged\"}")).getString("active")).isEqualTo("false");
    }

    @Test
    void appEndpointsTakeTheTokenWithoutBearerPrefix() throws Exception {
        String instanceId = wix.installApp();
        String token = json(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId))).getString("access_token");

        HttpResponse<String> instance = send(HttpRequest.newBuilder(uri("/apps/v1/instance")).header("Authorization", token).GET());
        assertThat(instance.statusCode()).isEqualTo(200);
        assertThat(json(instance).getJsonObject("instance").getString("instanceId")).isEqualTo(instanceId);
        assertThat(send(HttpRequest.newBuilder(uri("/apps/v1/instance")).header("Authorization", "Bearer " + token).GET())
                .statusCode()).isEqualTo(401);

        HttpRequest.Builder bi = HttpRequest.newBuilder(uri("/apps/v1/bi-event")).header("Authorization", token)
                .header("Content-Type", "application/json");
        assertThat(send(bi.copy().POST(HttpRequest.BodyPublishers.ofString("{\"eventName\":\"APP_FINISHED_CONFIGURATION\"}")))
                .statusCode()).isEqualTo(200);
        assertThat(send(bi.copy().POST(HttpRequest.BodyPublishers.ofString("{\"eventName\":\"MADE_UP\"}"))).statusCode())
                .isEqualTo(400);
    }

    @Test
    void contactsAreASitesOwnAndAnsweredWithWixsErrorShapes() throws Exception {
        String site = wix.installApp();
        String other = wix.installApp();
        String token = json(postJson("/oauth2/token", clientCredentials(wix.appSecret(), site))).getString("access_token");
        String otherToken = json(postJson("/oauth2/token", clientCredentials(wix.appSecret(), other))).getString("access_token");
        HttpRequest.Builder contacts = HttpRequest.newBuilder(uri("/contacts/v4/contacts")).header("Authorization", token)
                .header("Content-Type", "application/json");
        String ada = "{\"info\":{\"name\":{\"first\":\"Ada\"},\"emails\":{\"items\":[{\"email\":\"ada@example.com\"}]}}}";

        HttpResponse<String> created = send(contacts.copy().POST(HttpRequest.BodyPublishers.ofString(ada)));
        assertThat(created.statusCode()).isEqualTo(200);
        JsonObject contact = json(created).getJsonObject("contact");
        assertThat(contact.getInt("revision")).isEqualTo(1);
        assertThat(contact.getJsonObject("primaryInfo").getString("email")).isEqualTo("ada@example.com");
        String id = contact.getString("id");

        HttpResponse<String> duplicate = send(contacts.copy().POST(HttpRequest.BodyPublishers.ofString(ada)));
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(json(duplicate).getJsonObject("details").getJsonObject("applicationError").getString("code"))
                .isEqualTo("DUPLICATE_CONTACT_EXISTS");
        HttpResponse<String> noInfo = send(contacts.copy().POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(noInfo.statusCode()).isEqualTo(400);
        assertThat(json(noInfo).getJsonObject("details").getJsonObject("validationError").getJsonArray("fieldViolations")
                .getJsonObject(0).getString("field")).isEqualTo("info");

        HttpRequest.Builder one = HttpRequest.newBuilder(uri("/contacts/v4/contacts/" + id)).header("Authorization", token);
        assertThat(send(one.copy().GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> stale = send(one.copy().header("Content-Type", "application/json").method("PATCH",
                HttpRequest.BodyPublishers.ofString("{\"revision\":7,\"info\":{\"name\":{\"first\":\"A\"}}}")));
        assertThat(stale.statusCode()).as("a stale revision").isEqualTo(409);
        assertThat(send(HttpRequest.newBuilder(uri("/contacts/v4/contacts/" + id)).header("Authorization", otherToken)
                .GET()).statusCode()).as("another site's contact").isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/contacts/v4/contacts")).GET()).statusCode()).as("no token")
                .isEqualTo(401);
        assertThat(send(one.copy().DELETE()).statusCode()).isEqualTo(200);
        HttpResponse<String> gone = send(one.copy().GET());
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).getJsonObject("details").getJsonObject("applicationError").getString("code"))
                .isEqualTo("CONTACT_NOT_FOUND");
        assertThat(wix.receivedFor(site)).as("kept as received").hasSizeGreaterThanOrEqualTo(7)
                .allSatisfy(r -> assertThat(r.rawPath()).startsWith("/contacts/v4/contacts"));
    }

    @Test
    void injectedFaultsHappenOnceEachAndAreCounted() throws Exception {
        String instanceId = wix.installApp();
        wix.failNext(Endpoint.CREATE_ACCESS_TOKEN, 1, Fault.throttled("2"));
        wix.failNext(Endpoint.CREATE_ACCESS_TOKEN, 1, Fault.drop());
        String body = clientCredentials(wix.appSecret(), instanceId);

        HttpResponse<String> throttled = postJson("/oauth2/token", body);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("2");
        assertThatThrownBy(() -> postJson("/oauth2/token", body)).isInstanceOf(IOException.class);
        assertThat(postJson("/oauth2/token", body).statusCode()).isEqualTo(200);
        assertThat(wix.calls(Endpoint.CREATE_ACCESS_TOKEN)).isEqualTo(3);
    }

    @Test
    void stripBoundSessionTurnsALiveTokenIntoAnUnboundOneForTheAppsSecretOnly() throws Exception {
        String instanceId = wix.installApp();
        String bound = json(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId))).getString("access_token");

        // What the official SDK sends for an AppStrategy built with an access token: no client_id (section 4a).
        HttpResponse<String> unbound = postJson("/oauth2/token", stripBoundSession(wix.appSecret(), bound));
        assertThat(unbound.statusCode()).isEqualTo(200);
        JsonObject body = json(unbound);
        assertThat(body.getString("access_token")).isNotEqualTo(bound);
        assertThat(body.getJsonNumber("expires_in").longValue()).isEqualTo(14400);
        assertThat(wix.instanceOfAccessToken(body.getString("access_token"))).hasValue(instanceId);

        assertThat(postJson("/oauth2/token", stripBoundSession("wrong", bound)).statusCode()).isEqualTo(401);
        assertThat(postJson("/oauth2/token", stripBoundSession(wix.appSecret(), "forged")).statusCode()).isEqualTo(400);
        wix.uninstallApp(instanceId);
        assertThat(postJson("/oauth2/token", stripBoundSession(wix.appSecret(), bound).replace("}", ",\"client_id\":\"" + wix.appId() + "\"}"))
                .statusCode()).as("a token of an uninstalled app").isEqualTo(400);
    }

    @Test
    void tokenInfoNamesTheSiteAndAccountAndDescribesARefreshTokenWhileTheAppIsInstalled() throws Exception {
        String instanceId = wix.installApp();
        String refreshToken = wix.issueRefreshToken(instanceId);
        String token = json(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId))).getString("access_token");

        JsonObject ofAccess = json(postJson("/oauth2/token-info", "{\"token\":\"" + token + "\"}"));
        JsonObject ofRefresh = json(postJson("/oauth2/token-info", "{\"token\":\"" + refreshToken + "\"}"));

        assertThat(ofAccess.getString("siteId")).isNotBlank().isEqualTo(ofRefresh.getString("siteId"));
        assertThat(ofAccess.getString("accountId")).isNotBlank().isEqualTo(ofRefresh.getString("accountId"));
        assertThat(ofRefresh.getString("active")).isEqualTo("true");
        assertThat(ofRefresh.getString("instanceId")).isEqualTo(instanceId);
        assertThat(ofRefresh.getString("clientId")).isEqualTo(wix.appId());
        assertThat(ofRefresh.containsKey("exp")).as("a refresh token has no expiry").isFalse();
        wix.uninstallApp(instanceId);
        assertThat(json(postJson("/oauth2/token-info", "{\"token\":\"" + refreshToken + "\"}")).getString("active"))
                .isEqualTo("false");
    }

    @Test
    void appApisCountAgainstTheInstancesPerMinuteLimitToo() throws Exception {
        String instanceId = wix.installApp();
        String token = json(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId))).getString("access_token");
        wix.limitCallsPerMinute(3);

        HttpRequest.Builder get = HttpRequest.newBuilder(uri("/apps/v1/instance")).header("Authorization", token).GET();
        assertThat(send(get.copy()).statusCode()).isEqualTo(200);
        assertThat(send(get.copy()).statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = send(get.copy());
        assertThat(throttled.statusCode()).as("the token call was the first of three").isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void redirectUrlsAreRegisteredOnlyAsHttpsOrHttpOnThisMachine() {
        SimulatorSettings settings = SimulatorSettings.random();
        assertThat(settings.withRedirectUrls(List.of("https://app.example.com/cb", "http://localhost:8080/cb",
                "http://127.0.0.1:1/cb")).redirectUrls()).hasSize(3);
        assertThatThrownBy(() -> settings.withRedirectUrls(List.of("http://app.example.com/cb")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withRedirectUrls(List.of("ftp://localhost/cb")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theControlSurfaceInstallsClonesSellsAPlanAndUninstallsWithSignedWebhooks() throws Exception {
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/webhooks/wix", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            wix.deliverWebhooksTo(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/wix"));

            JsonObject installed = json(postJson("/simulator/instances", "{}"));
            String instanceId = installed.getString("instanceId");
            assertThat(installed.getInt("status")).isEqualTo(200);
            assertThat(installed.getString("webhook")).isEqualTo(received.get(0));
            assertThat(event(received.get(0))).containsEntry("eventType", Json.createValue("AppInstalled"))
                    .containsEntry("instanceId", Json.createValue(instanceId));

            String clone = json(postJson("/simulator/instances", "{\"originInstanceId\":\"" + instanceId + "\"}"))
                    .getString("instanceId");
            assertThat(json(postJson("/simulator/instances/" + instanceId + "/plan", "{\"vendorProductId\":\"pro\",\"cycle\":\"YEARLY\"}"))
                    .getString("eventType")).isEqualTo("PaidPlanPurchased");
            JsonObject paid = appInstance(instanceId).getJsonObject("instance");
            assertThat(paid.getBoolean("isFree")).isFalse();
            assertThat(paid.getJsonObject("billing").getString("packageName")).isEqualTo("pro");
            JsonObject cloned = appInstance(clone);
            assertThat(cloned.getJsonObject("instance").getString("originInstanceId")).isEqualTo(instanceId);
            assertThat(cloned.getJsonObject("instance").containsKey("billing")).isFalse();
            assertThat(cloned.getJsonObject("site").getString("url")).startsWith("https://");
            assertThat(cloned.getJsonObject("site").getJsonObject("ownerInfo").getString("email")).contains("@");

            assertThat(json(postJson("/simulator/instances/" + instanceId + "/uninstall", "{}")).getString("eventType"))
                    .isEqualTo("AppRemoved");
            assertThat(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId)).statusCode()).isEqualTo(400);
            assertThat(received).hasSize(4);
            String pem = json(send(HttpRequest.newBuilder(uri("/simulator")).GET())).getString("webhookPublicKey");
            var publicKey = (java.security.interfaces.RSAPublicKey) java.security.KeyFactory.getInstance("RSA").generatePublic(
                    new java.security.spec.X509EncodedKeySpec(java.util.Base64.getMimeDecoder().decode(
                            pem.replaceAll("-----[A-Z ]+-----", ""))));
            for (String webhook : received) {
                assertThat(com.nimbusds.jwt.SignedJWT.parse(webhook).verify(new com.nimbusds.jose.crypto.RSASSAVerifier(publicKey)))
                        .as("signed with the key GET /simulator names").isTrue();
            }
            assertThat(postJson("/simulator/instances/" + instanceId + "/plan", "{}").statusCode()).as("uninstalled").isEqualTo(404);
            assertThat(postJson("/simulator/instances", "{\"originInstanceId\":\"../x\"}").statusCode()).isEqualTo(400);
            assertThat(postJson("/simulator/webhooks", "{\"eventType\":\"AppInstalled\"}").statusCode()).isEqualTo(400);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void anOutageFailsEveryWixEndpointUntilItEnds() throws Exception {
        String instanceId = wix.installApp();
        assertThat(json(postJson("/simulator/outage", "{\"seconds\":60,\"status\":503}")).getBoolean("outage")).isTrue();

        assertThat(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId)).statusCode()).isEqualTo(503);
        assertThat(postJson("/oauth2/token-info", "{\"token\":\"x\"}").statusCode()).isEqualTo(503);
        assertThat(postJson("/simulator/outage", "{\"seconds\":\"soon\"}").statusCode()).isEqualTo(400);
        assertThat(postJson("/simulator/outage", "{\"status\":200}").statusCode()).isEqualTo(400);

        assertThat(send(HttpRequest.newBuilder(uri("/simulator/outage")).DELETE()).statusCode()).isEqualTo(200);
        assertThat(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId)).statusCode()).isEqualTo(200);
        assertThat(json(send(HttpRequest.newBuilder(uri("/simulator")).GET())).getJsonObject("calls")
                .getInt("POST /oauth2/token")).isEqualTo(2);
    }

    private JsonObject appInstance(String instanceId) throws Exception {
        String token = json(postJson("/oauth2/token", clientCredentials(wix.appSecret(), instanceId))).getString("access_token");
        return json(send(HttpRequest.newBuilder(uri("/apps/v1/instance")).header("Authorization", token).GET()));
    }

    private static JsonObject event(String webhook) throws Exception {
        String data = (String) com.nimbusds.jwt.SignedJWT.parse(webhook).getJWTClaimsSet().getClaim("data");
        try (var reader = Json.createReader(new StringReader(data))) {
            return reader.readObject();
        }
    }

    private String stripBoundSession(String secret, String accessToken) {
        return Json.createObjectBuilder().add("grant_type", "strip_bound_session").add("client_secret", secret)
                .add("access_token", accessToken).build().toString();
    }

    private String codeFor(String instanceId) throws Exception {
        String token = wix.newInstallToken(instanceId);
        HttpResponse<String> approved = send(HttpRequest.newBuilder(uri("/installer/install"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("appId", wix.appId(), "redirectUrl", REDIRECT, "token", token)))));
        String location = approved.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("instanceId=" + instanceId);
        return location.replaceAll(".*code=([^&]+).*", "$1");
    }

    private URI installUri(Map<String, String> overrides) {
        Map<String, String> params = new java.util.LinkedHashMap<>(Map.of("appId", wix.appId(), "redirectUrl", REDIRECT));
        params.putAll(overrides);
        return uri("/installer/install?" + form(params));
    }

    private String clientCredentials(String secret, String instanceId) {
        return Json.createObjectBuilder().add("grant_type", "client_credentials").add("client_id", wix.appId())
                .add("client_secret", secret).add("instance_id", instanceId).build().toString();
    }

    private String codeExchange(String code) {
        return Json.createObjectBuilder().add("grant_type", "authorization_code").add("client_id", wix.appId())
                .add("client_secret", wix.appSecret()).add("code", code).build().toString();
    }

    private String refresh(String refreshToken) {
        return Json.createObjectBuilder().add("grant_type", "refresh_token").add("client_id", wix.appId())
                .add("client_secret", wix.appSecret()).add("refresh_token", refreshToken).build().toString();
    }

    private HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return wix.baseUrl().resolve(path);
    }

    private static String form(Map<String, String> values) {
        StringBuilder form = new StringBuilder();
        values.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return form.toString();
    }

    private static JsonObject json(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }
}

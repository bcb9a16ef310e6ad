package io.wixoauth.simulator;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** The token endpoints: Create Access Token, Request/Refresh an Access Token, Token Info (protocol sections 1, 3-5). */
final class OAuthEndpoints {

    private final SimulatorSettings settings;
    private final WixState state;
    private final AppSecrets secrets;

    OAuthEndpoints(SimulatorSettings settings, WixState state, AppSecrets secrets) {
        this.settings = settings;
        this.state = state;
        this.secrets = secrets;
    }

    /**
     * POST /oauth2/token: client credentials (protocol section 1), or the official SDK's {@code strip_bound_session},
     * which turns an access token the app already holds into an unbound one (section 4a).
     */
    void createAccessToken(Exchange exchange) throws IOException {
        Optional<JsonObject> body = jsonRequest(exchange);
        if (body.isEmpty()) {
            return;
        }
        JsonObject request = body.get();
        String grantType = text(request, "grant_type");
        if ("strip_bound_session".equals(grantType)) {
            stripBoundSession(exchange, request);
            return;
        }
        if (!"client_credentials".equals(grantType)) {
            exchange.oauthError(400, "unsupported_grant_type", "grant_type must be client_credentials or strip_bound_session");
            return;
        }
        if (!authenticated(request)) {
            exchange.oauthError(401, "invalid_client", "Unknown client_id or wrong client_secret");
            return;
        }
        String instanceId = text(request, "instance_id");
        if (instanceId == null || !state.isInstalledFor(instanceId, text(request, "client_id"))) {
            exchange.wixError(400, "The app is not installed on this instance", "APP_NOT_INSTALLED");
            return;
        }
        issueUnboundToken(exchange, instanceId);
    }

    /**
     * The SDK sends the app secret and the access token, without {@code client_id} (section 4a): the app is the one the
     * token was issued to, and the secret must be its secret. A dead or unknown token is refused like a bad grant.
     */
    private void stripBoundSession(Exchange exchange, JsonObject request) throws IOException {
        String clientId = text(request, "client_id");
        if (clientId != null && !equal(settings.appId(), clientId)
                || !secrets.authenticates(settings.appId(), text(request, "client_secret"))) {
            exchange.oauthError(401, "invalid_client", "Unknown client_id or wrong client_secret");
            return;
        }
        Optional<WixState.IssuedToken> bound = state.liveAccessToken(text(request, "access_token"));
        if (bound.isEmpty()) {
            exchange.oauthError(400, "invalid_grant", "access_token is missing, invalid or expired");
            return;
        }
        issueUnboundToken(exchange, bound.get().instanceId());
    }

    /** An app token for the instance, as client credentials give it: 4 hours, {@code token_type} Bearer. */
    private void issueUnboundToken(Exchange exchange, String instanceId) throws IOException {
        if (throttled(exchange, instanceId)) {
            return;
        }
        String token = state.issueAccessToken(instanceId, settings.clientCredentialsLifetime());
        exchange.json(200, Json.createObjectBuilder()
                .add("access_token", token)
                .add("token_type", "Bearer")
                .add("expires_in", settings.clientCredentialsLifetime().toSeconds())
                .build());
    }

    /** POST /oauth/access: a code exchange (section 3) or a refresh (section 4). */
    void access(Exchange exchange) throws IOException {
        Optional<JsonObject> body = jsonRequest(exchange);
        if (body.isEmpty()) {
            return;
        }
        JsonObject request = body.get();
        String grantType = text(request, "grant_type");
        if (!"authorization_code".equals(grantType) && !"refresh_token".equals(grantType)) {
            exchange.oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
            return;
        }
        if (!authenticated(request)) {
            exchange.oauthError(401, "invalid_client", "Unknown client_id or wrong client_secret");
            return;
        }
        Optional<String> instanceId = "authorization_code".equals(grantType)
                ? state.redeemCode(text(request, "code")).map(WixState.Code::instanceId)
                : Optional.ofNullable(text(request, "refresh_token")).flatMap(state::instanceOfRefreshToken);
        if (instanceId.isEmpty() || !state.isInstalledFor(instanceId.get(), text(request, "client_id"))) {
            exchange.oauthError(400, "invalid_grant", "The code or refresh token is invalid, expired or already used");
            return;
        }
        if ("refresh_token".equals(grantType) && throttled(exchange, instanceId.get())) {
            return;
        }
        exchange.json(200, Json.createObjectBuilder()
                .add("access_token", state.issueAccessToken(instanceId.get(), settings.advancedTokenLifetime()))
                .add("refresh_token", state.refreshTokenFor(instanceId.get()))
                .build());
    }

    /** Over the instance's per-minute limit (protocol section 0): answered 429. */
    private boolean throttled(Exchange exchange, String instanceId) throws IOException {
        return exchange.throttled(state.admit(instanceId));
    }

    /**
     * POST /oauth2/token-info. Wix's docs show numbers and booleans as strings (section 5); so does the simulator. The
     * official SDK also sends a refresh token here (section 4a): it is described as the app's grant on the instance,
     * active while the app is installed and the grant not revoked, and without {@code exp} since it has none.
     */
    void tokenInfo(Exchange exchange) throws IOException {
        Optional<String> token = exchange.jsonBody().map(b -> text(b, "token"));
        if (token.isEmpty()) {
            exchange.wixError(400, "token is required", "INVALID_ARGUMENT");
            return;
        }
        Optional<WixState.IssuedToken> issued = state.accessToken(token.get());
        Optional<String> grantInstance = state.instanceOfRefreshToken(token.get()).filter(state::isInstalled);
        if (issued.isEmpty() && grantInstance.isEmpty()) {
            exchange.json(200, Json.createObjectBuilder().add("active", "false").build());
            return;
        }
        String instanceId = issued.map(WixState.IssuedToken::instanceId).orElseGet(grantInstance::get);
        String appId = state.appOf(instanceId).orElse(settings.appId());
        JsonObjectBuilder info = Json.createObjectBuilder()
                .add("active", String.valueOf(issued.isEmpty() || state.liveAccessToken(token.get()).isPresent()))
                .add("subjectType", "APP")
                .add("subjectId", appId);
        issued.ifPresent(t -> info.add("exp", String.valueOf(t.expiresAt().getEpochSecond()))
                .add("iat", String.valueOf(t.issuedAt().getEpochSecond())));
        exchange.json(200, info
                .add("clientId", appId)
                .add("siteId", WixState.siteIdOf(instanceId))
                .add("instanceId", instanceId)
                .add("accountId", WixState.accountIdOf(instanceId))
                .build());
    }

    /** Token endpoints take a JSON object sent as application/json (protocol section 0); anything else is a 400. */
    private static Optional<JsonObject> jsonRequest(Exchange exchange) throws IOException {
        Optional<JsonObject> body = exchange.jsonBody();
        if (body.isEmpty()) {
            exchange.wixError(400, "Expected a JSON object sent as application/json", "INVALID_ARGUMENT");
        }
        return body;
    }

    private boolean authenticated(JsonObject request) {
        return secrets.authenticates(text(request, "client_id"), text(request, "client_secret"));
    }

    private static boolean equal(String expected, String actual) {
        return actual != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                actual.getBytes(StandardCharsets.UTF_8));
    }

    static String text(JsonObject json, String name) {
        return json.get(name) instanceof JsonString s ? s.getString() : null;
    }
}

package io.wixoauth.simulator;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/** App Instance and BI events, called with an app access token (protocol section 8). */
final class AppEndpoints {

    private static final Set<String> BI_EVENTS = Set.of("APP_FINISHED_CONFIGURATION", "APP_DASHBOARD_LOADED",
            "PRIMARY_ACTION_PERFORMED", "APP_UPGRADED", "CUSTOM");

    private final WixState state;

    AppEndpoints(WixState state) {
        this.state = state;
    }

    void getAppInstance(Exchange exchange) throws IOException {
        Optional<WixState.IssuedToken> token = authorized(exchange);
        if (token.isEmpty()) {
            return;
        }
        String instanceId = token.get().instanceId();
        exchange.json(200, Json.createObjectBuilder()
                .add("instance", Json.createObjectBuilder()
                        .add("instanceId", instanceId)
                        .add("appName", "Simulated app")
                        .add("appVersion", "1.0.0")
                        .add("isFree", true)
                        .add("permissions", Json.createArrayBuilder()))
                .add("site", Json.createObjectBuilder()
                        .add("siteId", "site-" + instanceId)
                        .add("siteDisplayName", "Simulated site")
                        .add("locale", "en"))
                .build());
    }

    void biEvent(Exchange exchange) throws IOException {
        if (authorized(exchange).isEmpty()) {
            return;
        }
        Optional<JsonObject> body = exchange.jsonBody();
        String eventName = body.map(b -> OAuthEndpoints.text(b, "eventName")).orElse(null);
        boolean customWithoutName = "CUSTOM".equals(eventName) && OAuthEndpoints.text(body.get(), "customEventName") == null;
        if (eventName == null || !BI_EVENTS.contains(eventName) || customWithoutName) {
            exchange.wixError(400, "eventName is missing or unknown", "INVALID_ARGUMENT");
            return;
        }
        exchange.json(200, Json.createObjectBuilder().build());
    }

    /** Wix takes the token as the whole Authorization header, without "Bearer " (protocol section 0). */
    private Optional<WixState.IssuedToken> authorized(Exchange exchange) throws IOException {
        Optional<WixState.IssuedToken> token = state.liveAccessToken(exchange.header("Authorization"));
        if (token.isEmpty()) {
            exchange.wixError(401, "Missing, invalid or expired access token", "UNAUTHORIZED");
        }
        return token;
    }
}

package io.wixoauth.simulator;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

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

    /** Billing only for a paid instance, the origin only for a cloned site, as Wix documents them (section 8). */
    void getAppInstance(Exchange exchange) throws IOException {
        Optional<WixState.IssuedToken> token = authorized(exchange);
        if (token.isEmpty()) {
            return;
        }
        String instanceId = token.get().instanceId();
        Optional<WixState.Plan> plan = state.planOf(instanceId);
        Optional<String> origin = state.originOf(instanceId);
        JsonObjectBuilder instance = Json.createObjectBuilder()
                .add("instanceId", instanceId)
                .add("appName", "Simulated app")
                .add("appVersion", "1.0.0")
                .add("isFree", plan.isEmpty())
                .add("copiedFromTemplate", origin.isPresent())
                .add("freeTrialAvailable", false)
                .add("permissions", Json.createArrayBuilder().add("MANAGE_YOUR_APP").add("READ_SITE_OWNER_EMAIL"));
        plan.ifPresent(p -> instance.add("billing", Json.createObjectBuilder()
                .add("packageName", p.vendorProductId())
                .add("billingCycle", p.cycle())
                .add("timeStamp", p.purchasedAt().toString())
                .add("expirationDate", p.expiresOn().toString())
                .add("autoRenewing", true)
                .add("invoiceId", p.invoiceId())));
        origin.ifPresent(o -> instance.add("originInstanceId", o));
        String siteId = WixState.siteIdOf(instanceId);
        exchange.json(200, Json.createObjectBuilder()
                .add("instance", instance)
                .add("site", Json.createObjectBuilder()
                        .add("siteId", siteId)
                        .add("siteDisplayName", "Simulated site")
                        .add("locale", "en")
                        .add("paymentCurrency", "USD")
                        .add("url", "https://simulated-owner.wixsite.com/site-" + siteId.substring(0, 8))
                        .add("ownerInfo", Json.createObjectBuilder()
                                .add("email", "owner-" + siteId.substring(0, 8) + "@example.com")
                                .add("emailStatus", "VERIFIED")))
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

    /**
     * Wix takes the token as the whole Authorization header, without "Bearer " (protocol section 0), and counts the
     * call against the instance's per-minute limit like every other API call.
     */
    private Optional<WixState.IssuedToken> authorized(Exchange exchange) throws IOException {
        return authorized(exchange, state);
    }

    static Optional<WixState.IssuedToken> authorized(Exchange exchange, WixState state) throws IOException {
        Optional<WixState.IssuedToken> token = state.liveAccessToken(exchange.header("Authorization"));
        if (token.isEmpty()) {
            exchange.wixError(401, "Missing, invalid or expired access token", "UNAUTHORIZED");
            return token;
        }
        return exchange.throttled(state.admit(token.get().instanceId())) ? Optional.empty() : token;
    }
}

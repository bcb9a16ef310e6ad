package io.wixoauth.simulator;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** The pages a site owner's browser visits on Wix during an install (protocol section 2, steps 2-6). */
final class BrowserEndpoints {

    private final SimulatorSettings settings;
    private final WixState state;
    private final AppSecrets apps;

    BrowserEndpoints(SimulatorSettings settings, WixState state, AppSecrets apps) {
        this.settings = settings;
        this.state = state;
        this.apps = apps;
    }

    /** GET shows the consent page (or approves at once in auto-approve mode); POST is its Approve button. */
    void install(Exchange exchange) throws IOException {
        boolean approved = "POST".equals(exchange.method());
        Map<String, String> params = approved ? exchange.formBody() : exchange.query();
        String redirectUrl = params.get("redirectUrl");
        String appId = params.get("appId");
        if (!apps.knows(appId)) {
            exchange.html(400, page("Unknown app", "The appId in this link does not belong to any app."));
            return;
        }
        if (redirectUrl == null || !apps.redirectUrlsOf(appId).contains(redirectUrl)) {
            exchange.html(400, page("Redirect URL not registered",
                    "The redirectUrl is not one of the app's registered Redirect URLs."));
            return;
        }
        String token = params.get("token");
        Optional<String> instanceId = token == null || token.isEmpty()
                ? Optional.of(WixState.newInstanceId()) : state.instanceOfInstallToken(token);
        if (instanceId.isEmpty()) {
            exchange.html(400, page("Install link expired", "Start the installation again from the App Market."));
            return;
        }
        if (approved || settings.autoApprove()) {
            approve(exchange, appId, instanceId.get(), redirectUrl, params.get("state"));
        } else {
            exchange.html(200, consentPage(params));
        }
    }

    /** GET /installer/close-window: the end of a successful install; needs a live token from the code exchange. */
    void closeWindow(Exchange exchange) throws IOException {
        var token = state.liveAccessToken(exchange.query().get("access_token"));
        if (token.isEmpty()) {
            exchange.html(400, page("Invalid request", "This window was opened without a valid access token."));
            return;
        }
        // Wix's page says less; the instance id is here so that the demo's visitor can ask for its token.
        exchange.html(200, page("Installation complete", "The app is installed. You can close this window.</p>"
                + "<p>Instance id: <code id=\"instance-id\">" + token.get().instanceId() + "</code>"));
    }

    private void approve(Exchange exchange, String appId, String instanceId, String redirectUrl, String csrfState)
            throws IOException {
        state.install(instanceId, appId);
        String code = state.issueCode(instanceId, settings.codeLifetime());
        StringBuilder location = new StringBuilder(redirectUrl).append(redirectUrl.contains("?") ? '&' : '?')
                .append("code=").append(encode(code));
        if (csrfState != null) {
            location.append("&state=").append(encode(csrfState));
        }
        location.append("&instanceId=").append(encode(instanceId));
        exchange.redirect(location.toString());
    }

    private static String consentPage(Map<String, String> params) {
        StringBuilder hidden = new StringBuilder();
        for (String name : new String[]{"token", "appId", "redirectUrl", "state"}) {
            if (params.get(name) != null) {
                hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                        .append(escape(params.get(name))).append("\">");
            }
        }
        return page("Add this app to your site?",
                "The app asks for permission to manage your site's data.</p>"
                        + "<form method=\"post\" action=\"/installer/install\">" + hidden
                        + "<button id=\"approve\" type=\"submit\">Approve</button></form><p>");
    }

    private static String page(String title, String text) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + " | Wix simulator</title></head>"
                + "<body><h1>" + title + "</h1><p>" + text + "</p></body></html>";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

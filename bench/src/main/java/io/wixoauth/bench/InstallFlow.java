package io.wixoauth.bench;

import io.wixoauth.simulator.WixSimulator;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One advanced-OAuth install end to end, as a site owner's browser does it: the install link, Wix's consent (the
 * simulator approves at once), the callback with the state cookie, and Wix's close-window page as the answer.
 */
final class InstallFlow {

    private static final Pattern STATE_COOKIE = Pattern.compile("(__Host-wixoauth-state=[^;]*)");

    private final WixSimulator wix;
    private final URI service;

    InstallFlow(WixSimulator wix, URI service) {
        this.wix = wix;
        this.service = service;
    }

    /** Installs the app on a new instance; returns its id, or null unless the callback answered close-window. */
    String install() {
        String instanceId = wix.installApp();
        try {
            HttpResponse<String> install = Load.send(get(service.resolve("/oauth/install?token=" + wix.newInstallToken(instanceId))));
            Matcher cookie = STATE_COOKIE.matcher(install.headers().firstValue("Set-Cookie").orElse(""));
            if (install.statusCode() != 302 || !cookie.find()) {
                return null;
            }
            HttpResponse<String> consent = Load.send(get(URI.create(install.headers().firstValue("Location").orElseThrow())));
            URI callback = URI.create(consent.headers().firstValue("Location").orElseThrow());
            HttpResponse<String> answer = Load.send(HttpRequest.newBuilder(callback).timeout(Duration.ofSeconds(30))
                    .header("Cookie", cookie.group(1)).GET().build());
            boolean closeWindow = answer.statusCode() == 302
                    && answer.headers().firstValue("Location").orElse("").contains("/installer/close-window");
            return closeWindow ? instanceId : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
    }
}

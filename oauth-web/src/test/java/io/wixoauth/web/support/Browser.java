package io.wixoauth.web.support;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A site owner's browser, step by step: it keeps the service's state cookie (the JDK's cookie store would drop a
 * {@code Secure} cookie on plain-HTTP loopback, where a real browser keeps it) and follows one redirect at a time.
 */
public final class Browser {

    private static final Pattern STATE_COOKIE = Pattern.compile("__Host-wixoauth-state=([^;]*)");

    private String stateCookie;

    public HttpResponse<String> get(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (stateCookie != null) {
            request.header("Cookie", "__Host-wixoauth-state=" + stateCookie);
        }
        HttpResponse<String> response = Http.send(request.build());
        response.headers().allValues("Set-Cookie").forEach(this::remember);
        return response;
    }

    /** Clicks Approve on the (simulated) Wix consent page that {@code consentUrl} shows. */
    public HttpResponse<String> approve(URI consentUrl) {
        Map<String, String> fields = query(consentUrl);
        StringBuilder form = new StringBuilder();
        fields.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return Http.send(HttpRequest.newBuilder(consentUrl.resolve("/installer/install"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
    }

    public Optional<String> stateCookie() {
        return Optional.ofNullable(stateCookie);
    }

    public void setStateCookie(String value) {
        this.stateCookie = value;
    }

    public static URI location(HttpResponse<?> response) {
        return URI.create(response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no redirect; status " + response.statusCode())));
    }

    public static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private void remember(String setCookie) {
        Matcher matcher = STATE_COOKIE.matcher(setCookie);
        if (matcher.find()) {
            stateCookie = matcher.group(1).isEmpty() || setCookie.contains("Max-Age=0") ? null : matcher.group(1);
        }
    }
}

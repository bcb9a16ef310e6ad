package io.wixoauth.web.console;

import io.wixoauth.core.console.ConsoleSettings;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every console answer's headers: a strict Content-Security-Policy (the app's own files only, no inline script or
 * style, no frames; forms may post to the console and, for the sign-out that follows, the identity provider), never
 * cached, never framed, no referrer.
 */
final class ConsoleHeaders {

    private ConsoleHeaders() {
    }

    static void apply(HttpServletResponse response, ConsoleSettings settings) {
        String provider = settings.enabled() ? " " + origin(settings.issuer()) : "";
        response.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self'; connect-src 'self'; form-action 'self'" + provider + "; frame-ancestors 'none'; "
                + "base-uri 'none'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");
    }

    private static String origin(java.net.URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }
}

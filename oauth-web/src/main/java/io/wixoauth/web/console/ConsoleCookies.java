package io.wixoauth.web.console;

import io.wixoauth.core.console.OpenIdLogin;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The console's two cookies, both HttpOnly, Secure and SameSite=Lax (Lax: the identity provider's redirect back is a
 * top-level navigation from another site; every change is guarded by a CSRF token besides). {@code console_session}
 * names a session ({@code core.console.ConsoleSessions}); {@code console_login} carries a sign-in under way to its
 * callback only, for at most 10 minutes: its state, nonce, PKCE verifier and the page to return to.
 */
public final class ConsoleCookies {

    public static final String SESSION = "console_session";
    static final String LOGIN = "console_login";
    private static final int LOGIN_SECONDS = 600;
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]{1,700}");

    /** A sign-in under way, as its cookie brings it back. */
    record PendingLogin(OpenIdLogin.LoginStart start, String returnPath) {
    }

    private ConsoleCookies() {
    }

    static void setLogin(HttpServletResponse response, OpenIdLogin.LoginStart start, String returnPath) {
        String value = String.join(".", start.state(), start.nonce(), start.codeVerifier(),
                ConsoleServlet.base64(returnPath));
        set(response, LOGIN, value, "/console/callback", LOGIN_SECONDS);
    }

    static Optional<PendingLogin> login(HttpServletRequest request) {
        return cookie(request, LOGIN).flatMap(value -> {
            String[] parts = value.split("\\.");
            if (parts.length != 4 || !java.util.Arrays.stream(parts).allMatch(p -> PART.matcher(p).matches())) {
                return Optional.empty();
            }
            String back;
            try {
                back = new String(Base64.getUrlDecoder().decode(parts[3]), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return Optional.of(new PendingLogin(new OpenIdLogin.LoginStart(null, parts[0], parts[1], parts[2]),
                    returnPath(back)));
        });
    }

    static void clearLogin(HttpServletResponse response) {
        set(response, LOGIN, "", "/console/callback", 0);
    }

    static void setSession(HttpServletResponse response, String value, Duration lifetime) {
        set(response, SESSION, value, "/", lifetime.toSeconds());
    }

    static void clearSession(HttpServletResponse response) {
        set(response, SESSION, "", "/", 0);
    }

    public static Optional<String> session(HttpServletRequest request) {
        return cookie(request, SESSION);
    }

    /**
     * A console page to return to after signing in: a path under {@code /console/} and nothing else (never another
     * site, never a path the browser would read as one), else the overview.
     */
    static String returnPath(String raw) {
        if (raw == null || raw.length() > 500 || !raw.startsWith("/console/") || raw.contains("//")
                || raw.contains("\\") || raw.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            return "/console/";
        }
        return raw;
    }

    private static Optional<String> cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private static void set(HttpServletResponse response, String name, String value, String path, long maxAge) {
        response.addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge
                + "; HttpOnly; Secure; SameSite=Lax");
    }
}

package io.wixoauth.web.console;

import io.wixoauth.api.Jsonp;
import io.wixoauth.core.console.ConsoleLoginException;
import io.wixoauth.core.console.ConsoleSession;
import io.wixoauth.core.console.ConsoleSessions;
import io.wixoauth.core.console.ConsoleSettings;
import io.wixoauth.core.console.OpenIdLogin;
import io.wixoauth.web.http.RequestReference;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The operations console at {@code /console/}: its sign-in with the company's identity provider (docs/operations.md,
 * "The operations console"), its session, and the single-page app's files. Everything an operator sees or changes
 * goes through the admin API ({@code /api/admin}), which takes the console's session cookie as it takes a bearer token
 * ({@link ConsoleCookies}); nothing here changes the service's state but the session itself.
 */
@WebServlet(urlPatterns = {"/console", "/console/*"})
public class ConsoleServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(ConsoleServlet.class.getName());
    /** The app's files, by name: nothing else under {@code /console/assets/} is served. */
    private static final Map<String, String> ASSETS = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    @Inject
    ConsoleSettings settings;

    @Inject
    OpenIdLogin login;

    @Inject
    ConsoleSessions sessions;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = Optional.ofNullable(request.getPathInfo()).orElse("");
        ConsoleHeaders.apply(response, settings);
        if (path.isEmpty()) {
            response.sendRedirect("/console/");
            return;
        }
        if (path.startsWith("/assets/")) {
            asset(path.substring("/assets/".length()), response);
            return;
        }
        if (!settings.enabled()) {
            ConsolePages.send(response, 404, ConsolePages.off());
            return;
        }
        switch (path) {
            case "/login" -> startLogin(request, response);
            case "/callback" -> finishLogin(request, response);
            case "/session" -> session(request, response);
            case "/signed-out" -> ConsolePages.send(response, 200, ConsolePages.signedOut());
            default -> app(response);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ConsoleHeaders.apply(response, settings);
        if (!settings.enabled() || !"/logout".equals(request.getPathInfo())) {
            ConsolePages.send(response, 404, ConsolePages.failure("Not found", "There is no such page."));
            return;
        }
        logout(request, response);
    }

    /** Off to the identity provider; what the callback needs to finish stays in this browser's cookie. */
    private void startLogin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        OpenIdLogin.LoginStart start;
        try {
            start = login.start();
        } catch (ConsoleLoginException e) {
            ConsolePages.send(response, 503, ConsolePages.failure("Sign-in is not available", e.getMessage()));
            return;
        }
        ConsoleCookies.setLogin(response, start, ConsoleCookies.returnPath(request.getParameter("return")));
        response.sendRedirect(start.authorizationRequest().toString());
    }

    /**
     * The provider sent the browser back (OpenID Connect Core 3.1.2.5): the state must be the one this browser's cookie
     * holds, then the code is exchanged and the ID token checked. Nothing is stored unless the person may use the
     * console.
     */
    private void finishLogin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ConsoleCookies.PendingLogin> pending = ConsoleCookies.login(request);
        ConsoleCookies.clearLogin(response);
        String state = request.getParameter("state");
        if (pending.isEmpty() || state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                pending.get().start().state().getBytes(StandardCharsets.UTF_8))) {
            ConsolePages.send(response, 400, ConsolePages.failure("Sign-in could not be finished", "This sign-in was "
                    + "not started in this browser, or took too long. <a href=\"/console/login\">Sign in again</a>."));
            return;
        }
        if (request.getParameter("error") != null || request.getParameter("code") == null) {
            ConsolePages.send(response, 400, ConsolePages.failure("Sign-in refused", "The identity provider did not "
                    + "sign you in. <a href=\"/console/login\">Try again</a>."));
            return;
        }
        OpenIdLogin.Person person;
        try {
            person = login.complete(request.getParameter("code"), pending.get().start());
        } catch (ConsoleLoginException e) {
            ConsolePages.send(response, 400, ConsolePages.failure("Sign-in could not be finished",
                    ConsolePages.escape(e.getMessage()) + " <a href=\"/console/login\">Sign in again</a>."));
            return;
        }
        Optional<ConsoleSessions.Started> started = sessions.start(person, RequestReference.of(request));
        if (started.isEmpty()) {
            LOG.info(() -> "Console: " + person.username() + " signed in but is in none of the console's groups");
            ConsolePages.send(response, 403, ConsolePages.noAccess(person.name()));
            return;
        }
        ConsoleCookies.setSession(response, started.get().cookie(), settings.sessionMax());
        response.sendRedirect(pending.get().returnPath());
    }

    /** Who is signed in, their groups and the CSRF token the app sends with every change; 401 when no one is. */
    private void session(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ConsoleSession> session = ConsoleCookies.session(request).flatMap(sessions::find);
        response.setContentType("application/json");
        if (session.isEmpty()) {
            response.setStatus(401);
            response.getWriter().write(Jsonp.object().add("error", "unauthorized")
                    .add("error_description", "Not signed in to the console.").build().toString());
            return;
        }
        response.getWriter().write(Jsonp.object().add("username", session.get().username())
                .add("name", session.get().name())
                .add("groups", jakarta.json.Json.createArrayBuilder(session.get().groups()))
                .add("csrfToken", session.get().csrfToken())
                .add("expiresAt", session.get().expiresAt().toString()).build().toString());
    }

    /**
     * Ends the session (a form post carrying the CSRF token), then the identity provider's own where it offers
     * RP-initiated logout, back to the signed-out page.
     */
    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> cookie = ConsoleCookies.session(request);
        Optional<ConsoleSession> session = cookie.flatMap(sessions::find);
        String csrf = request.getParameter("csrf");
        if (session.isPresent() && (csrf == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                session.get().csrfToken().getBytes(StandardCharsets.UTF_8)))) {
            ConsolePages.send(response, 403, ConsolePages.failure("Not signed out", "The sign-out did not come from "
                    + "the console's own page. <a href=\"/console/\">Back to the console</a>."));
            return;
        }
        cookie.ifPresent(value -> sessions.end(value, RequestReference.of(request)));
        ConsoleCookies.clearSession(response);
        URI signedOut = settings.redirectUri().resolve("/console/signed-out");
        Optional<URI> endSession;
        try {
            endSession = login.endSessionEndpoint();
        } catch (ConsoleLoginException e) {
            endSession = Optional.empty();
        }
        response.sendRedirect(endSession.map(uri -> uri + (uri.getQuery() == null ? "?" : "&") + "client_id="
                        + encode(settings.clientId()) + "&post_logout_redirect_uri=" + encode(signedOut.toString()))
                .orElse(signedOut.toString()));
    }

    private void app(HttpServletResponse response) throws IOException {
        serve("/WEB-INF/console/index.html", "text/html; charset=utf-8", response);
    }

    private void asset(String name, HttpServletResponse response) throws IOException {
        String type = ASSETS.get(name);
        if (type == null) {
            response.setStatus(404);
            return;
        }
        serve("/WEB-INF/console/" + name, type, response);
    }

    private void serve(String resource, String type, HttpServletResponse response) throws IOException {
        try (InputStream in = getServletContext().getResourceAsStream(resource)) {
            if (in == null) {
                response.setStatus(404);
                return;
            }
            response.setContentType(type);
            in.transferTo(response.getOutputStream());
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

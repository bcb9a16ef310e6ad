package io.wixoauth.web.security;

import io.wixoauth.core.console.ConsoleSession;
import io.wixoauth.core.console.ConsoleSessions;
import io.wixoauth.web.console.ConsoleCookies;
import io.wixoauth.web.error.ErrorResponses;
import io.wixoauth.web.error.Unauthorized;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.CallerPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Optional;

/**
 * How a backend or an operator signs in: a bearer token from the company's identity provider, in the
 * {@code Authorization} header (RFC 6750 section 2.1), verified by {@link BearerTokens}. The service's Jakarta
 * Security mechanism, in place of Payara's MP-JWT one, so that a verified token is remembered instead of having its
 * signature and the provider's key set parsed again on every request (bench/NOTES.md); MicroProfile JWT's settings
 * keep their names.
 *
 * <p>The backends' API ({@link BackendBearer#PATH}) is left alone: its servlet and filter call the same verifier
 * themselves, a tenth of a token read's time cheaper than this round trip (bench/NOTES.md).
 *
 * <p>The admin API also takes the operations console's session cookie ({@code web.console}): the person the identity
 * provider signed in, with the groups it named. A change (any method but GET and HEAD) made with the cookie must carry
 * the session's CSRF token in {@code X-CSRF-Token}, or it is refused with {@code 403 csrf_refused}: a page on another
 * site can make the browser send the cookie, never read the token.
 *
 * <p>It never answers by itself otherwise: a request without a valid token goes on unauthenticated, and a resource
 * that needs a role refuses it with the service's JSON {@code 401} ({@link Unauthorized}); public pages are unaffected.
 */
@ApplicationScoped
public class BearerAuthentication implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer ";
    private static final String ADMIN_API = "/api/admin/";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    @Inject
    BearerTokens tokens;

    @Inject
    ConsoleSessions consoleSessions;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        if (BackendBearer.handles(request)) {
            return context.doNothing(); // the backends' API checks its bearer tokens itself
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return request.getRequestURI().startsWith(ADMIN_API) ? consoleSession(request, response, context)
                    : context.doNothing();
        }
        return tokens.verify(authorization.substring(SCHEME.length()).strip())
                .map(caller -> context.notifyContainerAboutLogin(new CallerPrincipal(caller.name()), caller.groups()))
                .orElseGet(() -> {
                    request.setAttribute(Unauthorized.REFUSED_TOKEN, Boolean.TRUE);
                    return context.doNothing();
                });
    }

    private AuthenticationStatus consoleSession(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        Optional<ConsoleSession> session = ConsoleCookies.session(request).flatMap(consoleSessions::find);
        if (session.isEmpty()) {
            return context.doNothing();
        }
        boolean change = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
        String csrf = request.getHeader(CSRF_HEADER);
        if (change && (csrf == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                session.get().csrfToken().getBytes(StandardCharsets.UTF_8)))) {
            try {
                ErrorResponses.write(response, ErrorResponses.response(403, "csrf_refused", "A change made with the "
                        + "console's session must carry its CSRF token in " + CSRF_HEADER + "."));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return AuthenticationStatus.SEND_FAILURE;
        }
        return context.notifyContainerAboutLogin(new CallerPrincipal(session.get().username()),
                new HashSet<>(session.get().groups()));
    }
}

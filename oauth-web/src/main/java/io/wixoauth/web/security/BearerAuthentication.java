package io.wixoauth.web.security;

import io.wixoauth.web.error.Unauthorized;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.CallerPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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
 * <p>It never answers by itself: a request without a valid token goes on unauthenticated, and a resource that needs
 * a role refuses it with the service's JSON {@code 401} ({@link Unauthorized}); public pages are unaffected.
 */
@ApplicationScoped
public class BearerAuthentication implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer ";

    @Inject
    BearerTokens tokens;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        if (BackendBearer.handles(request)) {
            return context.doNothing(); // the backends' API checks its bearer tokens itself
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return context.doNothing();
        }
        return tokens.verify(authorization.substring(SCHEME.length()).strip())
                .map(caller -> context.notifyContainerAboutLogin(new CallerPrincipal(caller.name()), caller.groups()))
                .orElseGet(() -> {
                    request.setAttribute(Unauthorized.REFUSED_TOKEN, Boolean.TRUE);
                    return context.doNothing();
                });
    }
}

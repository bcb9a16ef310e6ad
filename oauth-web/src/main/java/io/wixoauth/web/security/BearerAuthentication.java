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
 * <p>It never answers by itself: a request without a valid token goes on unauthenticated, and a resource that needs
 * a role refuses it with the service's JSON {@code 401} ({@link Unauthorized}); public pages are unaffected.
 */
@ApplicationScoped
public class BearerAuthentication implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer ";

    /**
     * The verified caller's groups, every one of them ({@code Set<String>}): the container answers
     * {@code isUserInRole} only for the roles the application declares, and the proxy's allow-lists name any group.
     */
    public static final String CALLER_GROUPS = BearerAuthentication.class.getName() + ".groups";

    @Inject
    BearerTokens tokens;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return context.doNothing();
        }
        return tokens.verify(authorization.substring(SCHEME.length()).strip())
                .map(caller -> {
                    request.setAttribute(CALLER_GROUPS, caller.groups());
                    return context.notifyContainerAboutLogin(new CallerPrincipal(caller.name()), caller.groups());
                })
                .orElseGet(() -> {
                    request.setAttribute(Unauthorized.REFUSED_TOKEN, Boolean.TRUE);
                    return context.doNothing();
                });
    }
}

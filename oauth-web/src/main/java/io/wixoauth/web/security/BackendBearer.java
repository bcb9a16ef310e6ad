package io.wixoauth.web.security;

import io.wixoauth.web.error.ErrorResponses;
import io.wixoauth.web.error.Unauthorized;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;

/**
 * The bearer check of the backends' API ({@code /api/v1/instances/*}: the token read and the Wix API proxy), done by
 * that API's own servlet and filter rather than by the container: the same verifier as {@link BearerAuthentication}
 * ({@link BearerTokens}, with its remembered digests), without the Jakarta Authentication round trip on every read
 * (bench/NOTES.md). The container's mechanism leaves these addresses alone ({@link #PATH}); nothing there is served
 * unless this check passed.
 */
@ApplicationScoped
public class BackendBearer {

    /** The backends' API, as its servlet is mapped: {@code /api/v1/instances/*}. */
    public static final String PATH = "/api/v1/instances";

    /** The same addresses naming the app: {@code /api/v1/apps/{appId}/instances/...}. */
    public static final String APP_PATH = "/api/v1/apps";

    private static final String SCHEME = "Bearer ";

    @Inject
    BearerTokens tokens;

    /** The caller a request's bearer token speaks for, or the answer that refuses it. */
    public record Checked(BearerTokens.Caller caller, Response refusal) {

        public boolean refused() {
            return refusal != null;
        }
    }

    /**
     * {@code 401} without a bearer token or with one this service does not accept (RFC 6750 section 3), {@code 403}
     * with a valid one outside {@code group}; else the caller.
     */
    public Checked check(HttpServletRequest request, String group, String whyTheGroup) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return new Checked(null, Unauthorized.response(null));
        }
        BearerTokens.Caller caller = tokens.verify(authorization.substring(SCHEME.length()).strip()).orElse(null);
        if (caller == null) {
            return new Checked(null, Unauthorized.response(Boolean.TRUE));
        }
        if (!caller.groups().contains(group)) {
            return new Checked(null, ErrorResponses.response(403, "forbidden", whyTheGroup));
        }
        return new Checked(caller, null);
    }

    /** True for a request the container's mechanism leaves to this check. */
    static boolean handles(HttpServletRequest request) {
        return PATH.equals(request.getServletPath()) || APP_PATH.equals(request.getServletPath());
    }
}

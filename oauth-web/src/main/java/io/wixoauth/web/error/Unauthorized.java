package io.wixoauth.web.error;

import jakarta.ws.rs.core.Response;

/**
 * The API's one {@code 401}, wherever it is decided (this application's role check or the container's): a request that
 * carried a bearer token the service did not accept is told that its token, not its request, failed
 * ({@code error="invalid_token"}, RFC 6750 section 3).
 */
public final class Unauthorized {

    /** Set on a request that carried a bearer token this service does not accept ({@code security.BearerAuthentication}). */
    public static final String REFUSED_TOKEN = Unauthorized.class.getName() + ".refusedToken";

    private Unauthorized() {
    }

    /** {@code refusedToken}: the request attribute {@link #REFUSED_TOKEN}, or null. */
    public static Response response(Object refusedToken) {
        if (refusedToken == null) {
            return Response.fromResponse(ErrorResponses.response(401)).header("WWW-Authenticate", "Bearer").build();
        }
        return Response.fromResponse(ErrorResponses.response(401, "unauthorized", "The bearer token is not valid: "
                        + "not signed by the identity provider, expired, not yet valid, or for another issuer or audience."))
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"").build();
    }
}

package io.wixoauth.web.security;

import io.wixoauth.web.error.ErrorResponses;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;

/**
 * Payara's MP-JWT checks a bearer token's {@code exp} but not whether it is already valid: a token whose {@code nbf}
 * or {@code iat} lies ahead of this server's clock (RFC 7519 sections 4.1.5-4.1.6) is refused here, before any
 * resource runs. The allowed skew is MicroProfile JWT's own setting, {@code mp.jwt.verify.clock.skew} (seconds).
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 1)
public class BearerTimeCheck implements ContainerRequestFilter {

    private final long skewSeconds = ConfigProvider.getConfig()
            .getOptionalValue("mp.jwt.verify.clock.skew", Long.class).orElse(60L);

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken jwt) {
            long latest = Instant.now().getEpochSecond() + skewSeconds;
            if (claim(jwt, "nbf") > latest || jwt.getIssuedAtTime() > latest) {
                request.abortWith(Response.fromResponse(ErrorResponses.response(401, "unauthorized",
                        "The bearer token is not valid yet.")).header("WWW-Authenticate", "Bearer").build());
            }
        }
    }

    private static long claim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        return value instanceof Number n ? n.longValue()
                : value instanceof jakarta.json.JsonNumber j ? j.longValue() : 0L;
    }
}

package io.wixoauth.web.token;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.web.Roles;
import io.wixoauth.web.handshake.RequestReference;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("api/v1/instances/{instanceId}/access-token")
@ApplicationScoped // one instance: creating a request-scoped resource and its EJB reference per call was a tenth of the cost
@RolesAllowed(Roles.TOKEN_READER)
public class AccessTokenResource {

    @Inject
    AccessTokenService tokens;

    /** {@code 200 {"access_token", "expires_at", "source"}}; never cached by intermediaries (RFC 6749 section 5.1). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response accessToken(@PathParam("instanceId") String instanceId, @Context SecurityContext security,
                                @Context HttpServletRequest request) {
        IssuedAccessToken issued = tokens.serveTo(security.getUserPrincipal().getName(), InstanceId.of(instanceId),
                RequestReference.of(request));
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(Jsonp.object()
                        .add("access_token", issued.token().reveal())
                        .add("expires_at", issued.expiresAt().toString())
                        .add("source", issued.source().wireName())
                        .build())
                .cacheControl(noStore)
                .header("Pragma", "no-cache")
                .build();
    }
}

package io.wixoauth.web.token;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.web.http.Roles;
import io.wixoauth.web.http.RequestReference;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("api/v1/instances/{instanceId}/access-token")
@ApplicationScoped // one instance: creating a request-scoped resource and its EJB reference per call was a tenth of the cost
@RolesAllowed(Roles.TOKEN_READER)
@Tag(name = "tokens", description = "For backends (group token-reader): a Wix access token for an instance")
@SecurityRequirement(name = "bearer")
public class AccessTokenResource {

    @Inject
    AccessTokenService tokens;

    /** {@code 200 {"access_token", "expires_at", "source"}}; never cached by intermediaries (RFC 6749 section 5.1). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getAccessToken",
            summary = "A live Wix access token for the instance, from the cache when it holds one",
            description = "One call to Wix per expiry, however many callers ask at once. Group token-reader.")
    @APIResponse(responseCode = "200", description = "The token, with Cache-Control: no-store",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "AccessToken")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "410", ref = "Gone")
    @APIResponse(responseCode = "502", ref = "BadGateway")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response accessToken(@Parameter(required = true, description = "The Wix instance id",
                                         example = "3fa85f64-5717-4562-b3fc-2c963f66afa6")
                                @PathParam("instanceId") String instanceId, @Context SecurityContext security,
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

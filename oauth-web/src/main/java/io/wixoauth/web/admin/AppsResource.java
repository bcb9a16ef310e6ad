package io.wixoauth.web.admin;

import io.wixoauth.api.Secret;
import io.wixoauth.api.app.AppRequest;
import io.wixoauth.api.app.AppService;
import io.wixoauth.api.app.AppView;
import io.wixoauth.api.app.HandshakeChange;
import io.wixoauth.api.app.SecretChange;
import io.wixoauth.web.http.RequestReference;
import io.wixoauth.web.http.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * The Wix apps this deployment serves. Changes with {@code oauth-admin}, each with a reason and audited; reading with
 * {@code oauth-viewer} too. A secret is never answered, its fingerprint instead.
 */
@Path("api/admin/apps")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OAUTH_VIEWER, Roles.OAUTH_ADMIN})
@Tag(name = "apps", description = "For operations (group oauth-admin): the Wix apps one deployment serves")
@SecurityRequirement(name = "bearer")
public class AppsResource {

    @Inject
    AppService apps;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "addApp", summary = "Serve one more Wix app: its id, secret and webhook public key from "
            + "its Wix dashboard")
    @APIResponse(responseCode = "201", description = "Added; every node serves it within seconds",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "App")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response add(
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "AppRequest")))
            @NotNull(message = "must be a JSON object with appId, secret, webhookPublicKeys and reason") @Valid
            AppRequest body) {
        AppView added = apps.add(body, actor(), RequestReference.of(request));
        return Response.status(201).entity(added).header("Location", "/api/admin/apps/" + added.appId()).build();
    }

    @GET
    @Operation(operationId = "listApps", summary = "Every app served, the default one first")
    @APIResponse(responseCode = "200", description = "The apps",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Apps")))
    public List<AppView> list() {
        return apps.apps();
    }

    @GET
    @Path("{appId}")
    @Operation(operationId = "getApp", summary = "One app: its secret's fingerprint, its installations, whether Wix "
            + "refused its secret")
    @APIResponse(responseCode = "200", description = "The app",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "App")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public AppView get(@PathParam("appId") String appId) {
        return apps.app(appId);
    }

    @PUT
    @Path("{appId}/secret")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "changeAppSecret", summary = "The app's new secret, after it was regenerated in Wix's "
            + "dashboard: every node calls Wix with it within seconds, without a restart")
    @APIResponse(responseCode = "200", description = "The app, with its new secret's fingerprint",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "App")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public AppView changeSecret(@PathParam("appId") String appId,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "SecretChange")))
            @NotNull(message = "must be a JSON object with secret and reason") @Valid SecretChange body) {
        return apps.changeSecret(appId, Secret.of(body.secret()), body.reason(), actor(), RequestReference.of(request));
    }

    @PATCH
    @Path("{appId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "changeAppHandshake", summary = "Custom authentication on or off for the app: off once its "
            + "installations are on client credentials (its install link then says installs need no redirect)")
    @APIResponse(responseCode = "200", description = "The app, as every node serves it within seconds",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "App")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public AppView changeHandshake(@PathParam("appId") String appId,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "HandshakeChange")))
            @NotNull(message = "must be a JSON object with handshake and reason") @Valid HandshakeChange body) {
        return apps.changeHandshake(appId, body, actor(), RequestReference.of(request));
    }

    @DELETE
    @Path("{appId}")
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "removeApp", summary = "Stop serving an app that has no installation left")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response remove(@PathParam("appId") String appId,
            @Parameter(required = true, description = "Why, for the audit trail (1-400 characters)")
            @QueryParam("reason") String reason) {
        apps.remove(appId, reason, actor(), RequestReference.of(request));
        return Response.noContent().build();
    }

    private String actor() {
        return security.getUserPrincipal().getName();
    }
}

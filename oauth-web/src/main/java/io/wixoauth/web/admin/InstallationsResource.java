package io.wixoauth.web.admin;

import io.wixoauth.api.admin.ActionResult;
import io.wixoauth.api.admin.AdminAction;
import io.wixoauth.api.admin.AdminService;
import io.wixoauth.api.admin.HealthSummary;
import io.wixoauth.api.admin.InstallationDetail;
import io.wixoauth.api.admin.InstallationFilter;
import io.wixoauth.api.admin.InstallationPage;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.web.http.Roles;
import io.wixoauth.web.http.RequestReference;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Installations for operations: read with {@code oauth-viewer} or {@code oauth-admin}, act with {@code oauth-admin}. */
@Path("api/admin")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OAUTH_VIEWER, Roles.OAUTH_ADMIN})
@Tag(name = "installations",
        description = "For operations (groups oauth-viewer, oauth-admin): installations and the actions on them")
@SecurityRequirement(name = "bearer")
public class InstallationsResource {

    @Inject
    AdminService admin;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @GET
    @Path("installations")
    @Operation(operationId = "listInstallations",
            summary = "Installations, filtered, one page at a time (cursor = the last instance id of a page)")
    @APIResponse(responseCode = "200", description = "One page of installations",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "InstallationPage")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public InstallationPage list(@QueryParam("mode") String mode, @QueryParam("state") String state,
                                 @QueryParam("appId") String appId, @QueryParam("updatedSince") String updatedSince,
                                 @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        return admin.list(new InstallationFilter(QueryParameters.optional(mode), QueryParameters.optional(state),
                QueryParameters.optional(appId), QueryParameters.instant("updatedSince", updatedSince),
                cursor == null || cursor.isBlank() ? null : InstanceId.of(cursor).value(), QueryParameters.limit(limit)));
    }

    @GET
    @Path("installations/{instanceId}")
    @Operation(operationId = "getInstallation",
            summary = "One installation: status, a fingerprint of its refresh token (never the token), recent history")
    @APIResponse(responseCode = "200", description = "The installation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "InstallationDetail")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public InstallationDetail get(@Parameter(required = true, description = "The Wix instance id",
                                         example = "3fa85f64-5717-4562-b3fc-2c963f66afa6")
                                  @PathParam("instanceId") String instanceId) {
        return admin.get(InstanceId.of(instanceId));
    }

    @POST
    @Path("installations/{instanceId}/actions/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "actOnInstallation",
            summary = "force-refresh, switch-to-client-credentials, forget-refresh-token, mark-for-reinstall, "
            + "retry-fallback or switch-back-to-refresh-token; the body {\"reason\": \"...\"} is required and goes to "
            + "the audit trail")
    @APIResponse(responseCode = "200", description = "What the action did",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ActionResult")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "410", ref = "Gone")
    @APIResponse(responseCode = "502", ref = "BadGateway")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public ActionResult act(@Parameter(required = true, description = "The Wix instance id",
                                         example = "3fa85f64-5717-4562-b3fc-2c963f66afa6")
                            @PathParam("instanceId") String instanceId,
                            @Parameter(required = true, description = "The action",
                                    schema = @Schema(enumeration = {"force-refresh", "switch-to-client-credentials",
                                            "forget-refresh-token", "mark-for-reinstall", "retry-fallback",
                                            "switch-back-to-refresh-token"}))
                            @PathParam("action") String action,
                            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                    schema = @Schema(ref = "Reason"))) String body) {
        AdminAction chosen = AdminAction.fromPathName(action)
                .orElseThrow(() -> new InvalidRequestException("Unknown action. Known: force-refresh, "
                        + "switch-to-client-credentials, forget-refresh-token, mark-for-reinstall, retry-fallback, "
                        + "switch-back-to-refresh-token."));
        String reason = ReasonBody.reason(body);
        return admin.perform(InstanceId.of(instanceId), chosen, reason, security.getUserPrincipal().getName(),
                RequestReference.of(request));
    }

    @GET
    @Path("health-summary")
    @Operation(operationId = "getHealthSummary",
            summary = "Counts by mode and state, fallbacks in the last hour and day, the oldest unresolved failure")
    @APIResponse(responseCode = "200", description = "The summary",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "HealthSummary")))
    public HealthSummary health() {
        return admin.health();
    }
}

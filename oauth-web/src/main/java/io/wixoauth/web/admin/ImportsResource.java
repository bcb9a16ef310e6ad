package io.wixoauth.web.admin;

import io.wixoauth.api.admin.ImportOptions;
import io.wixoauth.api.admin.ImportReport;
import io.wixoauth.api.admin.ImportService;
import io.wixoauth.web.http.Roles;
import io.wixoauth.web.http.RequestReference;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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

import java.io.InputStream;

/** Moving an app's existing install base in: an NDJSON file of installations, read as it arrives. Group oauth-admin. */
@Path("api/admin/imports")
@RequestScoped
@RolesAllowed(Roles.OAUTH_ADMIN)
@Tag(name = "imports", description = "For operations (group oauth-admin): moving an existing install base in")
@SecurityRequirement(name = "bearer")
public class ImportsResource {

    public static final String NDJSON = "application/x-ndjson";

    @Inject
    ImportService imports;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(NDJSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "importInstallations",
            summary = "Import installations with their refresh tokens, one JSON "
            + "object a line; checked as it streams in, then applied by a background job")
    @APIResponse(responseCode = "202", description = "Read; the job applying the valid lines is at the Location header's "
            + "address. Bad lines are listed by number and skipped.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ImportReport")))
    @APIResponse(responseCode = "200", description = "A dry run: the file checked and counted, nothing written",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ImportReport")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response receive(
            @Parameter(required = true, description = "Why, for the audit trail (1-400 characters)")
            @QueryParam("reason") String reason,
            @Parameter(description = "Only check and count the file") @QueryParam("dryRun") @DefaultValue("false")
            boolean dryRun,
            @Parameter(description = "An imported refresh token replaces a different one already stored (each audited)")
            @QueryParam("replace") @DefaultValue("false") boolean replace,
            @Parameter(description = "Wix must accept each token first (one refresh, the instance confirmed by Token "
                    + "Info); a refused one is not stored, and its installation asks for a reinstall")
            @QueryParam("verify") @DefaultValue("false") boolean verify,
            @Parameter(description = "The app the installations are of (added through /api/admin/apps); the default "
                    + "app when absent") @QueryParam("appId") String appId,
            @RequestBody(required = true, content = @Content(mediaType = NDJSON, schema = @Schema(ref = "ImportLine")))
            InputStream body) {
        ImportReport report = imports.receive(body, new ImportOptions(reason, dryRun, replace, verify, appId),
                security.getUserPrincipal().getName(), RequestReference.of(request));
        if (report.job() == null) {
            return Response.ok(report).build();
        }
        return Response.accepted(report).header("Location", "/api/admin/jobs/" + report.job().id()).build();
    }
}

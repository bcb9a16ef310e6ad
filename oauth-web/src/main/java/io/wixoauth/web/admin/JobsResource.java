package io.wixoauth.web.admin;

import io.wixoauth.api.admin.JobService;
import io.wixoauth.api.admin.JobView;
import io.wixoauth.api.admin.MigrationRequest;
import io.wixoauth.web.http.Roles;
import io.wixoauth.web.http.RequestReference;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Background jobs: start and cancel with {@code oauth-admin}, follow with {@code oauth-viewer} too. */
@Path("api/admin/jobs")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OAUTH_VIEWER, Roles.OAUTH_ADMIN})
@Tag(name = "jobs", description = "For operations (group oauth-admin): background jobs over every installation")
@SecurityRequirement(name = "bearer")
public class JobsResource {

    @Inject
    JobService jobs;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @POST
    @Path("reencryption")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "startReencryption",
            summary = "Re-encrypt every stored refresh token under the active key, online; a JSON reason is required")
    @APIResponse(responseCode = "202", description = "Started; its progress is at the Location header's address",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response startReencryption(
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "Reason"))) String body) {
        return accepted(jobs.startReencryption(ReasonBody.reason(body), security.getUserPrincipal().getName(), RequestReference.of(request)));
    }

    @POST
    @Path("bulk-refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "startBulkRefresh",
            summary = "Fetch a fresh token for every installed instance, in batches; a JSON reason is required")
    @APIResponse(responseCode = "202", description = "Started; its progress is at the Location header's address",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response startBulkRefresh(
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "Reason"))) String body) {
        return accepted(jobs.startBulkRefresh(ReasonBody.reason(body), security.getUserPrincipal().getName(), RequestReference.of(request)));
    }

    @POST
    @Path("migrate-to-client-credentials")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "startMigration", summary = "Move an app's install base off custom authentication: each "
            + "installed refresh-token installation proven with client credentials and switched to them, its refresh "
            + "token kept for oauth.migration.keep-refresh-tokens; dryRun proves and counts only")
    @APIResponse(responseCode = "202", description = "Started; its progress is at the Location header's address",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response startMigration(
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "MigrationRequest")))
            @NotNull(message = "must be a JSON object with appId, dryRun and reason") @Valid MigrationRequest body) {
        return accepted(jobs.startMigration(body, security.getUserPrincipal().getName(), RequestReference.of(request)));
    }

    @POST
    @Path("retention")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "startPurge",
            summary = "Purge what is past its retention horizon (GET /api/admin/retention shows what), in bounded "
            + "batches; a JSON reason is required")
    @APIResponse(responseCode = "202", description = "Started; its progress, and when done the counts per kind, are "
            + "at the Location header's address",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response startPurge(
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "Reason"))) String body) {
        return accepted(jobs.startPurge(ReasonBody.reason(body), security.getUserPrincipal().getName(), RequestReference.of(request)));
    }

    @GET
    @Operation(operationId = "listJobs", summary = "The newest jobs, running ones first")
    @APIResponse(responseCode = "200", description = "The jobs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Jobs")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public List<JobView> list(@Parameter(description = "At most this many (1-500, default 50)")
                              @QueryParam("limit") Integer limit) {
        return jobs.recent(QueryParameters.limit(limit));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getJob", summary = "Progress: done/total, errors, rate, state")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public JobView get(@PathParam("id") String id) {
        return jobs.get(id);
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "cancelJob",
            summary = "Stop a running job after its current batch; a JSON reason is required")
    @APIResponse(responseCode = "200", description = "The job, cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public JobView cancel(@PathParam("id") String id,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "Reason"))) String body) {
        return jobs.cancel(id, ReasonBody.reason(body), security.getUserPrincipal().getName(), RequestReference.of(request));
    }

    private static Response accepted(JobView job) {
        return Response.accepted(job).header("Location", "/api/admin/jobs/" + job.id()).build();
    }

}

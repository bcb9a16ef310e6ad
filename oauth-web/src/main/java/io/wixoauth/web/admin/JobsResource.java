package io.wixoauth.web.admin;

import io.wixoauth.api.admin.JobService;
import io.wixoauth.api.admin.JobView;
import io.wixoauth.web.Roles;
import io.wixoauth.web.handshake.RequestReference;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Background jobs: start and cancel with {@code oauth-admin}, follow with {@code oauth-viewer} too. */
@Path("api/admin/jobs")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OAUTH_VIEWER, Roles.OAUTH_ADMIN})
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
    @Operation(summary = "Re-encrypt every stored refresh token under the active key, online; a JSON reason is required")
    public Response startReencryption(String body) {
        return accepted(jobs.startReencryption(ReasonBody.reason(body), security.getUserPrincipal().getName(), RequestReference.of(request)));
    }

    @POST
    @Path("bulk-refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(summary = "Fetch a fresh token for every installed instance, in batches; a JSON reason is required")
    public Response startBulkRefresh(String body) {
        return accepted(jobs.startBulkRefresh(ReasonBody.reason(body), security.getUserPrincipal().getName(), RequestReference.of(request)));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Progress: done/total, errors, rate, state")
    public JobView get(@PathParam("id") String id) {
        return jobs.get(id);
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(summary = "Stop a running job after its current batch; a JSON reason is required")
    public JobView cancel(@PathParam("id") String id, String body) {
        return jobs.cancel(id, ReasonBody.reason(body), security.getUserPrincipal().getName(), RequestReference.of(request));
    }

    private static Response accepted(JobView job) {
        return Response.accepted(job).header("Location", "/api/admin/jobs/" + job.id()).build();
    }

}

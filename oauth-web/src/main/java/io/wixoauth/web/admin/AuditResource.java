package io.wixoauth.web.admin;

import io.wixoauth.api.audit.ArchiveVerification;
import io.wixoauth.api.audit.AuditFilter;
import io.wixoauth.api.audit.AuditRecord;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.api.audit.Checkpoint;
import io.wixoauth.api.audit.ChainVerification;
import io.wixoauth.web.http.RequestReference;
import io.wixoauth.web.http.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The audit trail for compliance: query, export as JSON lines, verify the hash chain and its archive files. Group
 * {@code oauth-auditor}.
 */
@Path("api/admin/audit")
@RequestScoped
@RolesAllowed(Roles.OAUTH_AUDITOR)
@Tag(name = "audit", description = "For compliance (group oauth-auditor): the tamper-evident audit trail")
@SecurityRequirement(name = "bearer")
public class AuditResource {

    private static final int EXPORT_BATCH = 500;

    @Inject
    AuditService audit;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "findAuditEntries",
            summary = "Entries by instance, actor, action and time, in chain order after the cursor (a sequence number)")
    @APIResponse(responseCode = "200", description = "The entries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "AuditEntries")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public List<AuditRecord> find(@QueryParam("instanceId") String instanceId, @QueryParam("appId") String appId,
                                  @QueryParam("actor") String actor, @QueryParam("action") String action,
                                  @QueryParam("since") String since, @QueryParam("until") String until,
                                  @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        return audit.find(filter(instanceId, appId, actor, action, since, until, cursor, QueryParameters.limit(limit)));
    }

    @GET
    @Path("export")
    @Produces("application/x-ndjson")
    @Operation(operationId = "exportAuditEntries",
            summary = "The matching entries as JSON lines, the same shape as the audit log lines")
    @APIResponse(responseCode = "200", description = "One JSON entry a line",
            content = @Content(mediaType = "application/x-ndjson",
                    schema = @Schema(type = SchemaType.STRING, description = "One AuditEntry as JSON a line")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public Response export(@QueryParam("instanceId") String instanceId, @QueryParam("appId") String appId,
                           @QueryParam("actor") String actor, @QueryParam("action") String action,
                           @QueryParam("since") String since, @QueryParam("until") String until) {
        AuditFilter first = filter(instanceId, appId, actor, action, since, until, null, EXPORT_BATCH);
        StreamingOutput lines = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            AuditFilter page = first;
            List<AuditRecord> batch;
            do {
                batch = audit.find(page);
                for (AuditRecord record : batch) {
                    writer.write(record.toJsonLine());
                    writer.write('\n');
                }
                long last = batch.isEmpty() ? page.afterSeq() : batch.get(batch.size() - 1).seq();
                page = page.after(last, EXPORT_BATCH);
            } while (batch.size() == EXPORT_BATCH);
            writer.flush();
        };
        return Response.ok(lines).header("Content-Disposition", "attachment; filename=\"audit.jsonl\"").build();
    }

    @GET
    @Path("verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "verifyAuditChain",
            summary = "Walks the hash chain and reports the first broken link; with checkpoint=seq:hash from the "
            + "checkpoint log, also finds a tail cut off with the head")
    @APIResponse(responseCode = "200", description = "Whether the chain is intact, and where it breaks if not",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ChainVerification")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public ChainVerification verify(@QueryParam("checkpoint") String checkpoint) {
        ChainVerification verified = audit.verify(QueryParameters.optional(checkpoint) == null ? Optional.empty()
                : Optional.of(Checkpoint.parse(checkpoint)));
        audit.recordVerification(verified, security.getUserPrincipal().getName(), RequestReference.of(request));
        return verified;
    }

    @POST
    @Path("archives/verify")
    @Consumes("application/x-ndjson")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "verifyAuditArchive",
            summary = "Checks an archive file (from oauth.audit.archive-dir) on its own: its sealed header, every "
            + "entry's seal and the chain from its first entry to its last")
    @APIResponse(responseCode = "200", description = "Whether the file is intact, and its first broken line if not",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ArchiveVerification")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public ArchiveVerification verifyArchive(
            @RequestBody(required = true, content = @Content(mediaType = "application/x-ndjson",
                    schema = @Schema(type = SchemaType.STRING, description = "The archive file, as written")))
            InputStream file) {
        return audit.verifyArchive(new InputStreamReader(file, StandardCharsets.UTF_8));
    }

    private static AuditFilter filter(String instanceId, String appId, String actor, String action, String since,
                                      String until, String cursor, int limit) {
        Instant from = QueryParameters.instant("since", since);
        Instant to = QueryParameters.instant("until", until);
        return new AuditFilter(QueryParameters.instanceId(instanceId), QueryParameters.appId(appId),
                QueryParameters.text("actor", actor),
                QueryParameters.text("action", action), from, to, QueryParameters.sequence("cursor", cursor), limit);
    }
}

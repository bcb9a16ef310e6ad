package io.wixoauth.web.admin;

import io.wixoauth.api.admin.RetentionPreview;
import io.wixoauth.api.admin.RetentionService;
import io.wixoauth.web.http.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What is kept, for how long, and what the next purge would remove. Groups oauth-admin and oauth-auditor. */
@Path("api/admin/retention")
@RequestScoped
@RolesAllowed({Roles.OAUTH_ADMIN, Roles.OAUTH_AUDITOR})
@Tag(name = "retention", description = "For operations and compliance: how long rows are kept, and the next purge")
@SecurityRequirement(name = "bearer")
public class RetentionResource {

    @Inject
    RetentionService retention;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "previewRetention",
            summary = "What a purge started now would remove, per kind, with each horizon; nothing is removed")
    @APIResponse(responseCode = "200", description = "The preview",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RetentionPreview")))
    public RetentionPreview preview() {
        return retention.preview();
    }
}

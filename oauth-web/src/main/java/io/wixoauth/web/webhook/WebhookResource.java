package io.wixoauth.web.webhook;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.webhook.WebhookService;
import io.wixoauth.web.error.ErrorResponses;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Wix's webhook URL (protocol section 6). The body is a JWT, whatever content type it comes with. */
@Path("webhooks/wix")
@RequestScoped
public class WebhookResource {

    /** Wix's webhook bodies are a few kilobytes; anything far larger is not one and is not read. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    @Inject
    WebhookService webhooks;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            return ErrorResponses.response(413, "payload_too_large", "A webhook body is at most 64 KiB.");
        }
        webhooks.receive(new String(bytes, StandardCharsets.UTF_8));
        return Response.ok(Jsonp.object().add("status", "accepted").build()).build();
    }
}

package io.wixoauth.web.webhook;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.webhook.WebhookService;
import jakarta.enterprise.context.ApplicationScoped;
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
@ApplicationScoped // also reached by the async dispatch of BodyArrival, where no request scope is active
public class WebhookResource {

    @Inject
    WebhookService webhooks;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(InputStream body) throws IOException {
        // BodyLimit stops the read at 64 KiB with a 413: Wix's webhook bodies are a few kilobytes.
        webhooks.receive(new String(body.readAllBytes(), StandardCharsets.UTF_8));
        return Response.ok(Jsonp.object().add("status", "accepted").build()).build();
    }
}

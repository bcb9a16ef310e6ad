package io.wixoauth.core.wix;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Wix's OAuth endpoints as a MicroProfile REST Client. Bodies travel as JSON text so that {@link WixOAuthClient} can
 * read Wix's two error shapes and its request id itself (protocol section 0). No class-level {@code @Path}: Jersey
 * would take the interface for a server resource.
 */
public interface WixOAuthApi {

    /** Create Access Token, client credentials (protocol section 1). */
    @POST
    @Path("/oauth2/token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response createAccessToken(String jsonBody);

    /** Request an Access Token (code exchange, section 3) and Refresh an Access Token (section 4). */
    @POST
    @Path("/oauth/access")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response access(String jsonBody);

    /** Token Info (section 5): which app and instance a token belongs to, and whether it is live. */
    @POST
    @Path("/oauth2/token-info")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response tokenInfo(String jsonBody);

    /** A BI event for the instance the token belongs to (section 8); the token goes without "Bearer ". */
    @POST
    @Path("/apps/v1/bi-event")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response biEvent(@HeaderParam("Authorization") String accessToken, String jsonBody);
}

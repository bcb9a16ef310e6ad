package io.wixoauth.web.handshake;

import io.wixoauth.web.http.RequestReference;
import io.wixoauth.api.handshake.CallbackOutcome;
import io.wixoauth.api.handshake.CallbackRequest;
import io.wixoauth.api.handshake.HandshakeService;
import io.wixoauth.api.handshake.InstallRedirect;
import io.wixoauth.web.http.BrowserFacing;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Optional;

/** The App URL and the Redirect URL registered with Wix (protocol section 2). */
@Path("oauth")
@RequestScoped
@BrowserFacing
@Tag(name = "install", description = "The advanced-OAuth install handshake, in the site owner's browser")
public class InstallResource {

    /** {@code __Host-}: only over HTTPS, only for this host, path {@code /} (RFC 6265bis). */
    static final String STATE_COOKIE = "__Host-wixoauth-state";

    @Inject
    HandshakeService handshake;

    @Context
    HttpServletRequest request;

    /** Step 1-2: redirect at once to Wix's consent page, with a fresh state bound to this browser by a cookie. */
    @GET
    @Path("install")
    @Operation(operationId = "openAppUrl",
            summary = "The App URL: sends the site owner's browser on to Wix's consent page")
    @APIResponse(responseCode = "302", description = "To Wix's installer, with a fresh state bound to this browser by a cookie")
    @APIResponse(responseCode = "400", description = "An HTML page for the site owner saying what went wrong",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response install(@QueryParam("token") String wixToken) {
        return installApp(null, wixToken);
    }

    /** The App URL of an app added through the admin API: {@code /oauth/install/{appId}}. */
    @GET
    @Path("install/{appId}")
    @Operation(operationId = "openAppUrlOfApp", summary = "The App URL of another app: sends the site owner's browser on "
            + "to Wix's consent page for that app")
    @APIResponse(responseCode = "302", description = "To Wix's installer, with a fresh state bound to this browser by a cookie")
    @APIResponse(responseCode = "400", description = "An HTML page for the site owner saying what went wrong (an app "
            + "this deployment does not serve, or one whose installs need no redirect)",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response installApp(@PathParam("appId") String appId, @QueryParam("token") String wixToken) {
        InstallRedirect redirect = handshake.startInstall(appId, Optional.ofNullable(wixToken).filter(t -> !t.isBlank()));
        return Response.status(Response.Status.FOUND)
                .location(redirect.location())
                .header("Set-Cookie", STATE_COOKIE + "=" + redirect.state().reveal() + "; Max-Age="
                        + redirect.lifetime().toSeconds() + "; Path=/; Secure; HttpOnly; SameSite=Lax")
                .build();
    }

    /** Step 4-6: Wix sends the browser back with a code; store the refresh token and close Wix's window. */
    @GET
    @Path("callback")
    @Operation(operationId = "completeInstall",
            summary = "The Redirect URL: exchanges Wix's code, stores the refresh token, closes Wix's window")
    @APIResponse(responseCode = "302", description = "To Wix's close-window page: the install is complete")
    @APIResponse(responseCode = "400", description = "An HTML page for the site owner saying what went wrong and what to do",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state,
                             @QueryParam("instanceId") String instanceId, @CookieParam(STATE_COOKIE) String cookieState) {
        return callbackOfApp(null, code, state, instanceId, cookieState);
    }

    /** The Redirect URL registered for an app added through the admin API: {@code /oauth/callback/{appId}}. */
    @GET
    @Path("callback/{appId}")
    @Operation(operationId = "completeInstallOfApp",
            summary = "Another app's Redirect URL: exchanges Wix's code with that app's secret, stores the refresh token")
    @APIResponse(responseCode = "302", description = "To Wix's close-window page: the install is complete")
    @APIResponse(responseCode = "400", description = "An HTML page for the site owner saying what went wrong and what to do",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response callbackOfApp(@PathParam("appId") String appId, @QueryParam("code") String code,
                                  @QueryParam("state") String state, @QueryParam("instanceId") String instanceId,
                                  @CookieParam(STATE_COOKIE) String cookieState) {
        CallbackOutcome outcome = handshake.completeInstall(
                new CallbackRequest(appId, code, state, instanceId, cookieState, RequestReference.of(request)));
        return Response.status(Response.Status.FOUND)
                .location(outcome.closeWindow())
                .header("Set-Cookie", STATE_COOKIE + "=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax")
                .build();
    }
}

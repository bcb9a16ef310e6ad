package io.wixoauth.web.admin;

import io.wixoauth.api.app.AppService;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.relay.CreatedSubscription;
import io.wixoauth.api.relay.DeliveryView;
import io.wixoauth.api.relay.RelayService;
import io.wixoauth.api.relay.SubscriptionRequest;
import io.wixoauth.api.relay.SubscriptionSecret;
import io.wixoauth.api.relay.SubscriptionView;
import io.wixoauth.web.http.Roles;
import io.wixoauth.web.http.RequestReference;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The event relay's subscriptions: the company's backends receive every lifecycle event, signed (Standard Webhooks).
 * Changes with {@code oauth-admin}, each with a reason and audited; reading with {@code oauth-viewer} too.
 */
@Path("api/admin/subscriptions")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OAUTH_VIEWER, Roles.OAUTH_ADMIN})
@Tag(name = "subscriptions", description = "For operations (group oauth-admin): relaying events to the company's backends")
@SecurityRequirement(name = "bearer")
public class SubscriptionsResource {

    @Inject
    RelayService relay;

    @Inject
    AppService apps;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "subscribe", summary = "Send events of the given types to a URL; answers the signing "
            + "secret, shown this once")
    @APIResponse(responseCode = "201", description = "Subscribed; events from now on are delivered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "CreatedSubscription")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public Response subscribe(
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "SubscriptionRequest")))
            @NotNull(message = "must be a JSON object with url, eventTypes and reason") @Valid SubscriptionRequest body) {
        for (String app : body.appsTaken()) {
            if (!app.equals("*") && apps.apps().stream().noneMatch(served -> served.appId().equals(app))) {
                throw new InvalidRequestException("appIds names " + app + ", which is not an app this deployment "
                        + "serves (GET /api/admin/apps lists them).");
            }
        }
        CreatedSubscription created = relay.subscribe(body, actor(), RequestReference.of(request));
        return Response.status(201).entity(created)
                .header("Location", "/api/admin/subscriptions/" + created.subscription().id()).build();
    }

    @GET
    @Operation(operationId = "listSubscriptions", summary = "Every subscription with its deliveries by state")
    @APIResponse(responseCode = "200", description = "The subscriptions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Subscriptions")))
    public List<SubscriptionView> list() {
        return relay.subscriptions();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getSubscription", summary = "One subscription, its deliveries by state and its oldest "
            + "undelivered event")
    @APIResponse(responseCode = "200", description = "The subscription",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Subscription")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public SubscriptionView get(@PathParam("id") String id) {
        return relay.subscription(id);
    }

    @POST
    @Path("{id}/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "pauseSubscription", summary = "Hold deliveries (events still queue); a JSON reason is required")
    @APIResponse(responseCode = "200", description = "The subscription, paused",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Subscription")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public SubscriptionView pause(@PathParam("id") String id,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "Reason"))) String body) {
        return relay.pause(id, ReasonBody.reason(body), actor(), RequestReference.of(request));
    }

    @POST
    @Path("{id}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "resumeSubscription",
            summary = "Deliver again, after a pause or a receiver's 410; a JSON reason is required")
    @APIResponse(responseCode = "200", description = "The subscription, active",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Subscription")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public SubscriptionView resume(@PathParam("id") String id,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "Reason"))) String body) {
        return relay.resume(id, ReasonBody.reason(body), actor(), RequestReference.of(request));
    }

    @POST
    @Path("{id}/secret")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "rotateSubscriptionSecret", summary = "A new signing secret, shown this once; the current "
            + "one signs beside it for the overlap; a JSON reason is required")
    @APIResponse(responseCode = "200", description = "The new secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "SubscriptionSecret")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public SubscriptionSecret rotate(@PathParam("id") String id,
            @Parameter(description = "How long the current secret still signs, ISO-8601 (default PT24H, at most P7D)")
            @QueryParam("overlap") @DefaultValue("PT24H") String overlap,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "Reason"))) String body) {
        return relay.rotateSecret(id, duration(overlap), ReasonBody.reason(body), actor(), RequestReference.of(request));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "unsubscribe", summary = "Delete the subscription and its undelivered deliveries")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response unsubscribe(@PathParam("id") String id,
            @Parameter(required = true, description = "Why, for the audit trail (1-400 characters)")
            @QueryParam("reason") String reason) {
        relay.unsubscribe(id, reason, actor(), RequestReference.of(request));
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(operationId = "listDeliveries", summary = "The subscription's latest deliveries, newest first; "
            + "state=failed lists what needs a look")
    @APIResponse(responseCode = "200", description = "The deliveries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Deliveries")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public List<DeliveryView> deliveries(@PathParam("id") String id,
            @Parameter(description = "pending, delivered or failed") @QueryParam("state") String state,
            @Parameter(description = "At most this many (1-500, default 50)") @QueryParam("limit") Integer limit) {
        return relay.deliveries(id, QueryParameters.optional(state), QueryParameters.limit(limit));
    }

    @POST
    @Path("{id}/deliveries/{deliveryId}/retry")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "retryDelivery", summary = "Send a pending or failed delivery again now; a JSON reason is required")
    @APIResponse(responseCode = "200", description = "The delivery, due now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Delivery")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DeliveryView retry(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "Reason"))) String body) {
        return relay.retry(id, QueryParameters.sequence("deliveryId", deliveryId), ReasonBody.reason(body), actor(),
                RequestReference.of(request));
    }

    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OAUTH_ADMIN)
    @Operation(operationId = "replayEvents", summary = "Queue again every event since a time that the subscription "
            + "takes (same webhook-id: receivers drop what they had); a JSON reason is required")
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Replay")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response replay(@PathParam("id") String id,
            @Parameter(required = true, description = "ISO-8601 instant, such as 2026-01-31T12:00:00Z")
            @QueryParam("since") String since,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "Reason"))) String body) {
        int queued = relay.replay(id, QueryParameters.instant("since", since), ReasonBody.reason(body), actor(),
                RequestReference.of(request));
        return Response.accepted(Json.createObjectBuilder().add("queued", queued).build()).build();
    }

    private String actor() {
        return security.getUserPrincipal().getName();
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("overlap must be an ISO-8601 duration such as PT24H.");
        }
    }
}

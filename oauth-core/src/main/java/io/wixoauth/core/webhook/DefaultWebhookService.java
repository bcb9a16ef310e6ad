package io.wixoauth.core.webhook;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.error.UnknownAppException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.webhook.WebhookService;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.audit.Refusals;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.platform.WriteConflict;
import io.wixoauth.core.relay.EventOutbox;
import io.wixoauth.core.relay.RelayEvent;
import io.wixoauth.core.wix.Apps;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

import java.util.logging.Logger;

/**
 * Applies Wix's install-related webhooks (protocol section 6). Wix retries for 48 hours and delivers duplicates and
 * out of order, so each handler compares event times instead of trusting arrival order.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DefaultWebhookService implements WebhookService {

    private static final Logger LOG = Logs.of(DefaultWebhookService.class);

    @Inject
    WebhookVerifier verifier;

    @Inject
    Installations installations;

    @Inject
    Apps apps;


    @Inject
    Audit audit;

    @Inject
    Refusals refusals;

    @Inject
    ServiceMetrics metrics;

    @Inject
    EventOutbox outbox;

    @Override
    public void receive(String body) {
        receive(apps.defaultAppId().value(), body);
    }

    @Override
    public void receive(String appId, String body) {
        WebhookEvent event;
        try {
            event = verifier.verify(app(appId), body);
        } catch (ServiceException e) {
            // Anyone can post a body here: counted and summed up per interval, never an entry per request.
            metrics.webhook(apps.metricTag(appId), "rejected");
            refusals.refused("webhook.rejected", e.errorCode(), () -> "Webhook refused: " + e.getMessage());
            throw e;
        }
        // Relayed first, every type, so this service can be the app's one webhook URL. Its id comes from the body:
        // the same webhook sent again by Wix is one event. If anything below fails, Wix sends it again.
        relay(RelayEvent.ofWixWebhook(body, event.eventType(), event.instanceId().value(), event.occurredAt(),
                withApp(event)));
        boolean changed = applyOnce(event);
        metrics.webhook(event.appId().value(), changed ? "applied" : "ignored");
        audit.quietly(AuditEvent.of("webhook." + auditName(event.eventType()), "wix", event.instanceId().value(),
                changed ? "applied" : "ignored").withDetails("event time " + event.occurredAt())
                .withApp(event.appId().value()));
        LOG.info(() -> "Webhook " + event.eventType() + " for instance " + event.instanceId() + " at "
                + event.occurredAt() + (changed ? " applied" : " changed nothing (duplicate, late or not ours)"));
    }

    private boolean applyOnce(WebhookEvent event) {
        try {
            return apply(event);
        } catch (RuntimeException e) {
            if (!WriteConflict.isCause(e)) {
                throw e;
            }
            // The same event, sent twice at once, created the installation on the other request: this one now sees
            // it and changes nothing (the benchmark's soak met this as a 500).
            return apply(event);
        }
    }

    private boolean apply(WebhookEvent event) {
        return switch (event.eventType()) {
            case "AppInstalled" -> installations.recordAppInstalled(event.instanceId(), event.appId(), event.occurredAt(),
                    event.text("originInstanceId"));
            case "AppRemoved" -> installations.recordAppRemoved(event.instanceId(), event.appId(), event.occurredAt());
            case "PaidPlanPurchased", "PaidPlanChanged", "PaidPlanAutoRenewalCancelled" ->
                    installations.recordPaidPlan(event.instanceId(), event.appId(), paidPlanSummary(event));
            default -> false;
        };
    }

    /** Wix sends a webhook again while the first is still being handled: one of the two writes it, the other is done. */
    private void relay(RelayEvent event) {
        try {
            outbox.recordAlone(event);
        } catch (RuntimeException e) {
            if (!WriteConflict.isCause(e)) {
                throw e;
            }
        }
    }

    /** The app an address names; one that is not an app id is refused like an unknown app, before any work. */
    private static AppId app(String appId) {
        try {
            return AppId.of(appId);
        } catch (RuntimeException e) {
            throw new UnknownAppException("This deployment serves no app by that id.");
        }
    }

    /** Every relayed Wix event names its app in {@code data.appId}, the paid-plan ones too (Wix's own data does not). */
    private static JsonObject withApp(WebhookEvent event) {
        var data = Jsonp.object();
        event.data().forEach(data::add);
        return data.add("appId", event.appId().value()).build();
    }

    /** Event types come from Wix's payload: letters only, bounded, before they name an audit action. */
    private static String auditName(String eventType) {
        String letters = eventType.replaceAll("[^A-Za-z]", "");
        return letters.isEmpty() ? "unnamed" : letters.substring(0, Math.min(40, letters.length()));
    }

    private static String paidPlanSummary(WebhookEvent event) {
        String summary = event.eventType() + " " + nullToDash(event.text("vendorProductId")) + " "
                + nullToDash(event.text("cycle")) + " at " + event.occurredAt();
        return summary.length() <= 400 ? summary : summary.substring(0, 400);
    }

    private static String nullToDash(String value) {
        return value == null ? "-" : value;
    }
}

package io.wixoauth.core.relay;

import io.wixoauth.api.Secret;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.audit.AuditService;
import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.error.UnknownSubscriptionException;
import io.wixoauth.api.relay.CreatedSubscription;
import io.wixoauth.api.relay.DeliveryView;
import io.wixoauth.api.relay.RelayService;
import io.wixoauth.api.relay.SubscriptionRequest;
import io.wixoauth.api.relay.SubscriptionSecret;
import io.wixoauth.api.relay.SubscriptionView;
import io.wixoauth.persistence.relay.Delivery;
import io.wixoauth.persistence.relay.RelayRepository;
import io.wixoauth.persistence.relay.Subscription;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What operations do with subscriptions: each change in one transaction with its audit entry. */
@Stateless
public class DefaultRelayService implements RelayService {

    private static final Duration LONGEST_OVERLAP = Duration.ofDays(7);

    @Inject
    Clock clock;

    @Inject
    RelayRepository repository;

    @Inject
    AuditService audit;

    @Inject
    RelayDispatcher dispatcher;

    @Override
    public CreatedSubscription subscribe(SubscriptionRequest request, String actor, String requestId) {
        String id = UUID.randomUUID().toString();
        Secret secret = RelaySigner.newSecret();
        List<String> types = request.eventTypes().contains(Subscription.EVERY_TYPE)
                ? List.of(Subscription.EVERY_TYPE) : request.eventTypes().stream().distinct().toList();
        if (String.join(",", types).length() > RelayRepository.EVENT_TYPES_MAX_LENGTH) {
            throw new InvalidRequestException("eventTypes together may be at most "
                    + RelayRepository.EVENT_TYPES_MAX_LENGTH + " characters, commas included; subscribe to \"*\" or "
                    + "split the list over two subscriptions");
        }
        List<String> appIds = request.appsTaken();
        repository.addSubscription(id, request.url(), types, appIds, secret, Instant.now(clock), actor);
        record("relay.subscribe", actor, id, "subscribed", request.reason(), requestId,
                "to " + withoutQuery(request.url()) + " for " + String.join(",", types)
                        + (appIds.contains("*") ? "" : " of apps " + String.join(",", appIds)));
        return new CreatedSubscription(subscription(id), secret.reveal());
    }

    @Override
    public List<SubscriptionView> subscriptions() {
        return repository.subscriptions().stream().map(this::view).toList();
    }

    @Override
    public SubscriptionView subscription(String id) {
        return view(existing(id));
    }

    @Override
    public SubscriptionView pause(String id, String reason, String actor, String requestId) {
        return changeState(id, Subscription.State.PAUSED, "relay.pause", reason, actor, requestId);
    }

    @Override
    public SubscriptionView resume(String id, String reason, String actor, String requestId) {
        SubscriptionView resumed = changeState(id, Subscription.State.ACTIVE, "relay.resume", reason, actor, requestId);
        dispatcher.nudge();
        return resumed;
    }

    @Override
    public SubscriptionSecret rotateSecret(String id, Duration overlap, String reason, String actor, String requestId) {
        String why = requireReason(reason);
        existing(id);
        if (overlap.isNegative() || overlap.compareTo(LONGEST_OVERLAP) > 0) {
            throw new InvalidRequestException("overlap must be an ISO-8601 duration from PT0S to P7D, such as PT24H.");
        }
        Secret secret = RelaySigner.newSecret();
        Instant until = Instant.now(clock).plus(overlap);
        repository.rotateSecret(id, secret, until);
        record("relay.rotate-secret", actor, id, "rotated", why, requestId, "previous secret signs until " + until);
        return new SubscriptionSecret(id, secret.reveal(), until);
    }

    @Override
    public void unsubscribe(String id, String reason, String actor, String requestId) {
        String why = requireReason(reason);
        Subscription subscription = existing(id);
        repository.deleteSubscription(id);
        record("relay.unsubscribe", actor, id, "deleted", why, requestId, "was " + withoutQuery(subscription.url()));
    }

    @Override
    public List<DeliveryView> deliveries(String id, String state, int limit) {
        existing(id);
        return repository.deliveries(id, state == null ? null : deliveryState(state), limit).stream()
                .map(DefaultRelayService::view).toList();
    }

    @Override
    public DeliveryView retry(String id, long deliveryId, String reason, String actor, String requestId) {
        String why = requireReason(reason);
        existing(id);
        if (!repository.retryNow(id, deliveryId, Instant.now(clock))) {
            throw new UnknownSubscriptionException("Subscription " + id + " has no undelivered delivery " + deliveryId + ".");
        }
        record("relay.retry", actor, id, "queued", why, requestId, "delivery " + deliveryId);
        dispatcher.nudge();
        return repository.findDelivery(id, deliveryId).map(DefaultRelayService::view).orElseThrow();
    }

    @Override
    public int replay(String id, Instant since, String reason, String actor, String requestId) {
        String why = requireReason(reason);
        existing(id);
        if (since == null) {
            throw new InvalidRequestException("since is required: the time from which to send events again.");
        }
        int queued = repository.replay(id, since, Instant.now(clock));
        record("relay.replay", actor, id, "queued " + queued, why, requestId, "events since " + since);
        dispatcher.nudge();
        return queued;
    }

    private SubscriptionView changeState(String id, Subscription.State state, String action, String reason,
                                         String actor, String requestId) {
        String why = requireReason(reason);
        existing(id);
        boolean changed = repository.changeState(id, state, state == Subscription.State.ACTIVE ? null : why);
        record(action, actor, id, changed ? state.name().toLowerCase() : "unchanged", why, requestId, null);
        return subscription(id);
    }

    private Subscription existing(String id) {
        if (id == null || !id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            throw new UnknownSubscriptionException("No subscription has this id.");
        }
        return repository.findSubscription(id)
                .orElseThrow(() -> new UnknownSubscriptionException("No subscription has id " + id + "."));
    }

    private SubscriptionView view(Subscription subscription) {
        Map<String, Long> counts = new LinkedHashMap<>();
        repository.counts(subscription.id()).forEach((state, count) -> counts.put(state.name(), count));
        Instant rotatedUntil = subscription.previousSecretUntil() != null
                && subscription.previousSecretUntil().isAfter(Instant.now(clock)) ? subscription.previousSecretUntil() : null;
        return new SubscriptionView(subscription.id(), subscription.url(), subscription.eventTypes(),
                subscription.state().name(), subscription.stateReason(), subscription.createdAt(),
                subscription.createdBy(), counts, repository.oldestPending(subscription.id()).orElse(null), rotatedUntil,
                subscription.appIds());
    }

    private static DeliveryView view(Delivery d) {
        return new DeliveryView(d.id(), d.eventId(), d.eventType(), d.instanceId(), d.state().name(), d.attempts(),
                d.createdAt(), d.state() == Delivery.State.PENDING ? d.nextAttemptAt() : null, d.lastAttemptAt(),
                d.lastStatus(), d.lastError(), d.deliveredAt());
    }

    private static Delivery.State deliveryState(String state) {
        try {
            return Delivery.State.valueOf(state.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("state must be pending, delivered or failed.");
        }
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 400) {
            throw new InvalidRequestException("Every change to a subscription needs a reason of 1 to 400 characters.");
        }
        return reason.strip();
    }

    /** A URL's query may carry a receiver's own key: the audit trail keeps scheme, host and path only. */
    private static String withoutQuery(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private void record(String action, String actor, String subscriptionId, String outcome, String reason,
                        String requestId, String details) {
        AuditEvent event = AuditEvent.of(action, actor, null, outcome).withReason(reason).withRequestId(requestId);
        String text = "subscription " + subscriptionId + (details == null ? "" : " " + details);
        audit.record(event.withDetails(text.length() <= 1000 ? text : text.substring(0, 1000)));
    }
}

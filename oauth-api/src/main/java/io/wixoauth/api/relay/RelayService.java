package io.wixoauth.api.relay;

import java.time.Instant;
import java.util.List;

/** Subscriptions to the event relay and their deliveries; every change is audited with its actor and reason. */
public interface RelayService {

    CreatedSubscription subscribe(SubscriptionRequest request, String actor, String requestId);

    List<SubscriptionView> subscriptions();

    SubscriptionView subscription(String id);

    /** Holds deliveries (events still queue up) until {@link #resume}. */
    SubscriptionView pause(String id, String reason, String actor, String requestId);

    /** Delivers again: a paused subscription, or one disabled by a receiver's 410. */
    SubscriptionView resume(String id, String reason, String actor, String requestId);

    /** A new secret; the current one keeps signing beside it for {@code overlap}. */
    SubscriptionSecret rotateSecret(String id, java.time.Duration overlap, String reason, String actor, String requestId);

    void unsubscribe(String id, String reason, String actor, String requestId);

    List<DeliveryView> deliveries(String id, String state, int limit);

    /** A pending or failed delivery is sent again now. */
    DeliveryView retry(String id, long deliveryId, String reason, String actor, String requestId);

    /** Every event since {@code since} that the subscription takes is queued for it again; returns how many. */
    int replay(String id, Instant since, String reason, String actor, String requestId);
}

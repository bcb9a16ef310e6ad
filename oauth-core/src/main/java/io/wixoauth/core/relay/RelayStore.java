package io.wixoauth.core.relay;

import io.wixoauth.persistence.relay.ClaimedDelivery;
import io.wixoauth.persistence.relay.Delivery;
import io.wixoauth.persistence.relay.RelayRepository;
import io.wixoauth.persistence.relay.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The dispatcher's short transactions, each on its own: never one held while a receiver is called. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class RelayStore {

    @Inject
    RelayRepository repository;

    public List<ClaimedDelivery> claim(String holder, Instant now, Instant until, int limit) {
        return repository.claimDue(holder, now, until, limit);
    }

    public Optional<Subscription> subscription(String id) {
        return repository.findSubscription(id);
    }

    public boolean settle(long deliveryId, String holder, Delivery.State state, Instant next, Instant now,
                          Integer status, String error) {
        return repository.settle(deliveryId, holder, state, next, now, status, error);
    }

    public void release(long deliveryId, String holder) {
        repository.release(deliveryId, holder);
    }

    /** A receiver answered 410 Gone: nothing more is sent until operations resume the subscription. */
    public boolean disable(String subscriptionId, String reason) {
        return repository.changeState(subscriptionId, Subscription.State.DISABLED, reason);
    }
}

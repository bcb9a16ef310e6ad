package io.wixoauth.core.relay;

import io.wixoauth.persistence.relay.ClaimedDelivery;
import io.wixoauth.persistence.relay.RelayRepository;
import io.wixoauth.persistence.relay.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /**
     * Settles a round's attempts and lets go of the deliveries it did not send, in one transaction; returns the
     * subscriptions a 410 has just disabled. A settlement whose claim was lost (it ran out and another node took the
     * delivery) changes nothing.
     */
    public Set<String> settle(String holder, List<Settlement> settlements, List<Long> unsent) {
        Set<String> disabled = new HashSet<>();
        for (Settlement settled : settlements) {
            if (settled.disableReason() != null && repository.changeState(settled.delivery().subscriptionId(),
                    Subscription.State.DISABLED, settled.disableReason())) {
                disabled.add(settled.delivery().subscriptionId());
            }
            repository.settle(settled.delivery().id(), holder, settled.state(), settled.nextAttemptAt(), settled.at(),
                    settled.status(), settled.error());
        }
        unsent.forEach(id -> repository.release(id, holder));
        return disabled;
    }
}

package io.wixoauth.core.relay;

import io.wixoauth.persistence.relay.RelayRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;

/**
 * The transactional outbox: an event is written in the transaction of the change it reports, so no change goes
 * unreported and nothing is reported of a change that rolled back. Delivery happens later, from the tables, on any
 * node; this node is told at once after the commit, so it does not wait for its next round.
 */
@ApplicationScoped
public class EventOutbox {

    @Inject
    Clock clock;

    @Inject
    RelayRepository repository;

    @Inject
    Event<EventsCommitted> committed;

    /** Within the caller's transaction, which must exist: an event written outside one could outlive its change. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(RelayEvent event) {
        write(event);
    }

    /** In a transaction of its own: for what happened outside this service (a Wix webhook) and is reported as is. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordAlone(RelayEvent event) {
        write(event);
    }

    private void write(RelayEvent event) {
        int deliveries = repository.recordEvent(event.id(), event.type(), event.instanceId(), event.appId(), event.body(),
                Instant.now(clock));
        if (deliveries > 0) {
            committed.fire(new EventsCommitted()); // observed after a successful commit only
        }
    }

    /** Fired when deliveries were written; observers see it only if the transaction commits. */
    public record EventsCommitted() {
    }
}

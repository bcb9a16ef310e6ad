package io.wixoauth.core.relay;

import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.persistence.relay.Delivery;
import io.wixoauth.persistence.relay.RelayRepository;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The relay's backlog for /metrics: counted every few seconds by {@link RelayClock}, never on a scrape. */
@ApplicationScoped
public class RelayStats {

    @Inject
    Clock clock;

    @Inject
    RelayRepository repository;

    @Inject
    ServiceMetrics metrics;

    private volatile long pending;
    private volatile long failed;
    private volatile long oldestPendingSeconds;

    @PostConstruct
    void register() {
        metrics.relayBacklog(() -> pending, () -> failed, () -> oldestPendingSeconds);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void refresh() {
        Map<Delivery.State, Long> counts = repository.backlog();
        pending = counts.get(Delivery.State.PENDING);
        failed = counts.get(Delivery.State.FAILED);
        oldestPendingSeconds = repository.oldestPending(null)
                .map(oldest -> Math.max(0, Duration.between(oldest, Instant.now(clock)).toSeconds())).orElse(0L);
    }
}

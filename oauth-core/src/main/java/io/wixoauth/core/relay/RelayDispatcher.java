package io.wixoauth.core.relay;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.persistence.relay.ClaimedDelivery;
import io.wixoauth.persistence.relay.Delivery;
import io.wixoauth.persistence.relay.Subscription;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends due deliveries, on every node at once without sending one twice: each round claims a batch (a lease in the
 * database that runs out if this node dies), posts them in parallel and settles each by the receiver's answer: 2xx
 * delivered; 410 disables the subscription; anything else, or no answer, is tried again later
 * ({@link RetrySchedule}). Only one round runs at a time on a node; a commit that wrote deliveries starts one at
 * once, and {@link RelayClock} every second for retries and other nodes' events.
 */
@ApplicationScoped
public class RelayDispatcher {

    private static final Logger LOG = Logs.of(RelayDispatcher.class);

    private final String node = "relay-" + UUID.randomUUID();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicLong rounds = new AtomicLong();

    @Inject
    Clock clock;

    @Inject
    RelayStore store;

    @Inject
    ServiceMetrics metrics;

    @Inject
    Audit audit;

    @Resource
    ManagedExecutorService executor;

    @Inject
    @ConfigProperty(name = "oauth.relay.timeout")
    Duration timeout;

    @Inject
    @ConfigProperty(name = "oauth.relay.batch")
    int batch;

    @Inject
    @ConfigProperty(name = "oauth.relay.retry-base")
    Duration retryBase;

    @Inject
    @ConfigProperty(name = "oauth.relay.retry-max-delay")
    Duration retryMaxDelay;

    @Inject
    @ConfigProperty(name = "oauth.relay.give-up-after")
    Duration giveUpAfter;

    private HttpClient client;
    private RetrySchedule schedule;

    @PostConstruct
    void start() {
        client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        schedule = new RetrySchedule(retryBase, retryMaxDelay, giveUpAfter);
    }

    void onCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventOutbox.EventsCommitted committed) {
        nudge();
    }

    /** Starts a round unless one is running, in which case that one goes round once more. */
    public void nudge() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (again.getAndSet(false)) {
                while (round() == batch) {
                    // a full batch: there may be more due at once
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A relay round failed; the next one retries: " + e);
        } finally {
            running.set(false);
            if (again.get() && running.compareAndSet(false, true)) { // nudged between the last look and now
                executor.execute(this::drain);
            }
        }
    }

    private int round() {
        Instant now = Instant.now(clock);
        String holder = node + ":" + rounds.incrementAndGet(); // this round's claim, and only this one's
        // The claim outlasts the longest attempt (connect plus answer) with room to settle.
        List<ClaimedDelivery> claimed = store.claim(holder, now, now.plus(timeout.multipliedBy(3)), batch);
        Map<String, Optional<Subscription>> subscriptions = new HashMap<>();
        List<Attempt> attempts = new ArrayList<>();
        List<Long> unsent = new ArrayList<>();
        for (ClaimedDelivery delivery : claimed) {
            Optional<Subscription> subscription = subscriptions.computeIfAbsent(delivery.subscriptionId(), store::subscription);
            if (subscription.isEmpty() || subscription.get().state() != Subscription.State.ACTIVE) {
                unsent.add(delivery.id()); // paused or deleted since the claim
                continue;
            }
            attempts.add(new Attempt(delivery, send(delivery, subscription.get())));
        }
        List<Settlement> settlements = attempts.stream().map(this::settlement).toList();
        if (!settlements.isEmpty() || !unsent.isEmpty()) {
            Set<String> disabled = store.settle(holder, settlements, unsent);
            settlements.forEach(settled -> report(settled, disabled));
        }
        return claimed.size();
    }

    private CompletableFuture<HttpResponse<Void>> send(ClaimedDelivery delivery, Subscription subscription) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(subscription.url()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "wix-oauth-service-relay/1.0")
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body()));
        RelaySigner.headers(delivery.eventId(), Instant.now(clock), delivery.body(),
                subscription.signingSecrets(Instant.now(clock))).forEach(request::header);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    /** The receiver's answer decides: 2xx delivered, 410 disables, anything else (or none) is tried again later. */
    private Settlement settlement(Attempt attempt) {
        ClaimedDelivery delivery = attempt.delivery();
        HttpResponse<Void> response;
        String error = null;
        try {
            response = attempt.answer().join();
        } catch (CompletionException e) {
            response = null;
            Throwable cause = e.getCause() == null ? e : e.getCause();
            error = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        Instant now = Instant.now(clock);
        Integer status = response == null ? null : response.statusCode();
        if (status != null && status >= 200 && status < 300) {
            return new Settlement(delivery, Delivery.State.DELIVERED, now, now, status, null, "delivered", null);
        }
        if (status != null && status == 410) {
            return new Settlement(delivery, Delivery.State.PENDING, now, now, status, "410 Gone: subscription disabled",
                    "disabled", "The receiver answered 410 Gone at " + now + " (event " + delivery.eventId() + ")");
        }
        String failure = status != null ? "HTTP " + status : error;
        Optional<Instant> next = schedule.next(delivery.attempts() + 1, delivery.createdAt(), now,
                response == null ? Optional.empty() : RetrySchedule.retryAfter(response.headers(), now));
        return next.map(at -> new Settlement(delivery, Delivery.State.PENDING, at, now, status, failure, "retry", null))
                .orElseGet(() -> new Settlement(delivery, Delivery.State.FAILED, now, now, status, failure, "failed", null));
    }

    private void report(Settlement settled, Set<String> disabled) {
        ClaimedDelivery delivery = settled.delivery();
        if (settled.state() == Delivery.State.DELIVERED) {
            metrics.relayDelivered(Duration.between(delivery.createdAt(), settled.at()));
            return;
        }
        metrics.relayAttempt(settled.outcome());
        if (settled.disableReason() != null && disabled.contains(delivery.subscriptionId())) {
            audit.quietly(AuditEvent.of("relay.subscription.disabled", "relay", null, "disabled")
                    .withDetails("subscription " + delivery.subscriptionId() + ": " + settled.disableReason()));
            LOG.warning(() -> "Relay subscription " + delivery.subscriptionId() + " disabled: " + settled.disableReason());
        }
        if (settled.state() == Delivery.State.FAILED) {
            LOG.warning(() -> "Relay delivery " + delivery.id() + " of event " + delivery.eventId() + " to subscription "
                    + delivery.subscriptionId() + " failed for good after " + (delivery.attempts() + 1) + " attempts");
        }
    }

    private record Attempt(ClaimedDelivery delivery, CompletableFuture<HttpResponse<Void>> answer) {
    }
}

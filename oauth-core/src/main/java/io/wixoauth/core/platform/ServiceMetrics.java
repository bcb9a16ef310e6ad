package io.wixoauth.core.platform;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import io.wixoauth.api.admin.WixHealth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What operations watch at {@code /metrics}: installs and fallbacks, refreshes by outcome, Wix latency by endpoint,
 * token cache hits and misses, webhook outcomes and audit entries. Names and tags never carry a secret, nor an id but
 * a Wix app's ({@code app}: a deployment serves a handful of apps, so the tag stays small): what concerns one app's
 * installations is counted per app; a request naming no app served here is counted under {@link #NO_APP}.
 * The hot token-path counters are the deployment's, not an app's: resolved once, never looked up per read.
 */
@ApplicationScoped
public class ServiceMetrics {

    /** The {@code app} tag of what named no app this deployment serves (an anonymous caller's made-up id). */
    public static final String NO_APP = "unknown";

    @Inject
    MetricRegistry registry;

    @Inject
    Clock clock;

    /** How a call to Wix ended, for {@link #wixHealth}: answered, answered 429, or failed (no answer, 5xx). */
    public enum Outcome { ANSWERED, THROTTLED, FAILED }

    private final UpstreamWindow lately = new UpstreamWindow();

    /** Counted on every token request: resolved once, not looked up by name and tag each time. */
    private Counter cacheHits;
    private Counter cacheMisses;
    private Counter readsWaited;
    private Counter fetchedAhead;
    private Counter fetchedOnDemand;

    @PostConstruct
    void resolveHotCounters() {
        cacheHits = registry.counter("oauth_token_cache_total", new Tag("result", "hit"));
        cacheMisses = registry.counter("oauth_token_cache_total", new Tag("result", "miss"));
        readsWaited = registry.counter("oauth_token_reads_waited_total");
        fetchedAhead = registry.counter("oauth_token_fetches_total", new Tag("trigger", "ahead"));
        fetchedOnDemand = registry.counter("oauth_token_fetches_total", new Tag("trigger", "on_demand"));
        registry.counter("oauth_audit_unwritten_total"); // present at 0, so an alert on it has a series from the start
    }

    public void installCompleted(String app, boolean fellBack) {
        registry.counter("oauth_installs_total", new Tag("app", app),
                new Tag("outcome", fellBack ? "fallback" : "refresh_token")).inc();
    }

    public void installRefused(String app) {
        registry.counter("oauth_installs_total", new Tag("app", app), new Tag("outcome", "refused")).inc();
    }

    /** A request refused before anyone was identified; {@code action} and {@code reason} come from a fixed set. */
    public void refusal(String action, String reason) {
        registry.counter("oauth_refusals_total", new Tag("action", action), new Tag("reason", reason)).inc();
    }

    public void fallback(String app, String reason) {
        registry.counter("oauth_fallbacks_total", new Tag("app", app), new Tag("reason", reason)).inc();
    }

    /** Wix refused an app's own credentials ({@code invalid_client}): the app's secret, not an installation, is wrong. */
    public void clientRefused(String appId) {
        registry.counter("oauth_wix_client_refused_total", new Tag("app", appId)).inc();
    }

    public void refresh(String app, String outcome) {
        registry.counter("oauth_refreshes_total", new Tag("app", app), new Tag("outcome", outcome)).inc();
    }

    /**
     * Wix latency as a histogram in whole milliseconds, the unit in its name. Not a MicroProfile {@code Timer}: Payara's
     * Prometheus output of a timer gives {@code _sum} in seconds but its mean, max and quantiles in nanoseconds, and
     * puts a unit suffix on some of its lines only. A histogram of unit "none" is printed as recorded, every line alike.
     */
    public void upstreamCall(String endpoint, Duration duration, Outcome outcome) {
        registry.histogram(UPSTREAM_LATENCY, new Tag("endpoint", endpoint)).update(duration.toMillis());
        lately(duration, outcome);
    }

    /** A call to Wix refused by the gate because Wix was failing for every instance (its circuit breaker open). */
    public void wixPaused() {
        lately.paused(Instant.now(clock));
    }

    /** Wix as this node saw it lately (the operations console's overview). */
    public WixHealth wixHealth() {
        return lately.snapshot(Instant.now(clock));
    }

    private void lately(Duration took, Outcome outcome) {
        Instant now = Instant.now(clock);
        lately.call(now, took, outcome == Outcome.FAILED);
        if (outcome == Outcome.THROTTLED) {
            lately.throttled(now);
        }
    }

    private static final Metadata UPSTREAM_LATENCY = Metadata.builder()
            .withName("oauth_upstream_duration_milliseconds")
            .withDescription("Time a call to Wix took, in milliseconds, by Wix endpoint")
            .withUnit(MetricUnits.NONE)
            .build();

    /**
     * A wait for another node's fetch of a token ({@code token.ClusterFetch}): how long, in milliseconds, and how many
     * looks at the database it took.
     */
    public void clusterWait(Duration waited, int checks) {
        registry.histogram(CLUSTER_WAIT).update(waited.toMillis());
        registry.counter("oauth_token_cluster_wait_checks_total").inc(checks);
    }

    private static final Metadata CLUSTER_WAIT = Metadata.builder()
            .withName("oauth_token_cluster_wait_milliseconds")
            .withDescription("Time a caller waited for another node to fetch and publish a token, in milliseconds")
            .withUnit(MetricUnits.NONE)
            .build();

    public void tokenCache(boolean hit) {
        (hit ? cacheHits : cacheMisses).inc();
    }

    /** A token read that waited for Wix: its token was fetched (here or by another node) while it waited. */
    public void tokenReadWaited() {
        readsWaited.inc();
    }

    /**
     * A token fetched from Wix by this node: {@code ahead} of its expiry for a busy instance, in the background, or
     * {@code on_demand}, by a caller who found none to serve.
     */
    public void tokenFetched(String trigger) {
        ("ahead".equals(trigger) ? fetchedAhead : fetchedOnDemand).inc();
    }

    /**
     * A refresh ahead ended (replaced the token, or failed), {@code took} after the read that started it: the margin
     * the window leaves is what it must stay under.
     */
    public void refreshedAhead(Duration took) {
        registry.histogram(REFRESH_AHEAD).update(took.toMillis());
    }

    private static final Metadata REFRESH_AHEAD = Metadata.builder()
            .withName("oauth_token_refresh_ahead_milliseconds")
            .withDescription("Time from the read that started a refresh ahead to its end, in milliseconds")
            .withUnit(MetricUnits.NONE)
            .build();

    public void webhook(String app, String outcome) {
        registry.counter("oauth_webhooks_total", new Tag("app", app), new Tag("outcome", outcome)).inc();
    }

    /** A relayed event reached its receiver, {@code lag} after it was written. */
    public void relayDelivered(Duration lag) {
        registry.counter("oauth_relay_deliveries_total", new Tag("outcome", "delivered")).inc();
        registry.histogram(RELAY_LAG).update(lag.toMillis());
    }

    /** A delivery attempt that did not deliver: {@code retry}, {@code failed} (retries ran out) or {@code disabled}. */
    public void relayAttempt(String outcome) {
        registry.counter("oauth_relay_deliveries_total", new Tag("outcome", outcome)).inc();
    }

    /** Read when scraped, from figures the relay refreshes every few seconds (every node sees the same tables). */
    public void relayBacklog(java.util.function.Supplier<Long> pending, java.util.function.Supplier<Long> failed,
                             java.util.function.Supplier<Long> oldestPendingSeconds) {
        registry.gauge("oauth_relay_pending", pending);
        registry.gauge("oauth_relay_failed", failed);
        registry.gauge("oauth_relay_oldest_pending_seconds", oldestPendingSeconds);
    }

    private static final Metadata RELAY_LAG = Metadata.builder()
            .withName("oauth_relay_lag_milliseconds")
            .withDescription("Time from an event's commit to its receiver's 2xx, in milliseconds")
            .withUnit(MetricUnits.NONE)
            .build();

    /** A call through the Wix API proxy: Wix's status and the time to its answer's headers, by Wix API. */
    public void wixCall(String app, String api, int status, Duration duration) {
        lately(duration, status == 429 ? Outcome.THROTTLED : status >= 500 ? Outcome.FAILED : Outcome.ANSWERED);
        registry.counter("oauth_wix_calls_total", new Tag("app", app), new Tag("api", api),
                new Tag("status", String.valueOf(status))).inc();
        registry.histogram(WIX_CALL_LATENCY, new Tag("api", api)).update(duration.toMillis());
    }

    private static final Metadata WIX_CALL_LATENCY = Metadata.builder()
            .withName("oauth_wix_call_duration_milliseconds")
            .withDescription("Time Wix took to answer a call made through the proxy, in milliseconds, by Wix API")
            .withUnit(MetricUnits.NONE)
            .build();

    /**
     * A proxy call answered 429 without calling Wix: {@code budget} (the instance's calls for the minute are spent),
     * {@code backoff} (Wix asked the instance to wait); or {@code wix}: Wix itself answered 429.
     */
    public void wixCallThrottled(String app, String by) {
        registry.counter("oauth_wix_calls_throttled_total", new Tag("app", app), new Tag("by", by)).inc();
        if ("breaker".equals(by)) {
            wixPaused();
        }
    }

    public void auditEntry() {
        registry.counter("oauth_audit_entries_total").inc();
    }

    /** Audit entries (or token reads, one each) that could not be written and are only counted (issue 25). */
    public void auditUnwritten(long count) {
        registry.counter("oauth_audit_unwritten_total").inc(count);
    }

    /** Rows the retention purge removed (audit entries: archived, then removed), by kind. */
    public void purged(String kind, long rows) {
        registry.counter("oauth_retention_purged_total", new Tag("kind", kind)).inc(rows);
    }
}

package io.wixoauth.core.wix;

import io.wixoauth.api.error.UpstreamUnavailableException;
import io.wixoauth.api.installation.InstanceId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spaces out calls to Wix for an instance whose last fetch failed, so an outage or a throttled instance does not turn
 * callers' retries into a storm (protocol section 0: 429 and 5xx are transient, "retry with backoff"; about 200 calls
 * per minute per instance). After a failure the instance waits Wix's {@code Retry-After} if it gave one, otherwise
 * {@code oauth.wix.backoff.initial}, doubling with each further failure up to {@code oauth.wix.backoff.max}. Callers in
 * that window get 503 with the remaining wait and cost Wix nothing; the first success clears it. Per node.
 */
@ApplicationScoped
public class WixBackoff {

    private record Pause(Instant until, int failures) {
    }

    private final Map<InstanceId, Pause> pauses = new ConcurrentHashMap<>();
    private final Clock clock;

    @Inject
    @ConfigProperty(name = "oauth.wix.backoff.initial", defaultValue = "PT1S")
    Duration initial;

    @Inject
    @ConfigProperty(name = "oauth.wix.backoff.max", defaultValue = "PT60S")
    Duration max;

    public WixBackoff() {
        this(Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    WixBackoff(Clock clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    /** Throws, without calling Wix, while the instance is backing off. */
    public void checkTurn(InstanceId instanceId) {
        Pause pause = pauses.get(instanceId);
        if (pause == null) {
            return;
        }
        Duration left = Duration.between(clock.instant(), pause.until());
        if (!left.isNegative() && !left.isZero()) {
            throw new UpstreamUnavailableException("Calls to Wix for instance " + instanceId + " are paused after "
                    + pause.failures() + " failed attempt(s); try again shortly", left);
        }
    }

    /** Records a failed fetch and returns how long the instance now waits. */
    public Duration failed(InstanceId instanceId, Optional<Duration> retryAfter) {
        Instant now = clock.instant();
        Pause pause = pauses.compute(instanceId, (id, previous) -> {
            int failures = previous == null ? 1 : previous.failures() + 1;
            return new Pause(now.plus(retryAfter.orElseGet(() -> exponential(failures))), failures);
        });
        return Duration.between(now, pause.until());
    }

    public void succeeded(InstanceId instanceId) {
        pauses.remove(instanceId);
    }

    private Duration exponential(int failures) {
        Duration wait = initial.multipliedBy(1L << Math.min(failures - 1, 20));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}

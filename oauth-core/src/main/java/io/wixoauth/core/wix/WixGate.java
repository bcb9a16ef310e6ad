package io.wixoauth.core.wix;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one door every call to Wix goes through, from the token path, the handshake, jobs and the proxy alike, so that a
 * hanging or failing Wix holds only its share of the service (MicroProfile Fault Tolerance, tunable under
 * {@code io.wixoauth.core.wix.WixGate/send/...}):
 * <ul>
 *   <li>a bulkhead: at most {@code Bulkhead/value} calls in flight on a node; more are refused at once, so request
 *       threads never pile up in socket reads behind a hanging Wix;</li>
 *   <li>a circuit breaker: when the last {@code requestVolumeThreshold} calls in a row found Wix down (no answer or
 *       5xx, thrown as {@link WixOutage}), no call is made for {@code delay}, then one is let through to probe. In a
 *       row ({@code failureRatio} 1): the window counts calls, not time, so with a lower ratio the failures of an
 *       outage long over would still open it once enough calls followed.</li>
 * </ul>
 * Callers add their own limits on top (the token path's retry budget, the proxy's calls in flight and budget).
 */
@ApplicationScoped
public class WixGate {

    /** How long the circuit breaker stays open once it opened, for callers' {@code Retry-After}. */
    @Inject
    @ConfigProperty(name = "io.wixoauth.core.wix.WixGate/send/CircuitBreaker/delay", defaultValue = "5000")
    long breakerDelayMillis;

    /**
     * Makes {@code call} if the bulkhead and the breaker let it: throws {@code BulkheadException} or
     * {@code CircuitBreakerOpenException} when they do not. {@code call} throws a {@link WixOutage} when Wix is down.
     */
    @Bulkhead(64)
    @CircuitBreaker(failOn = WixOutage.class, requestVolumeThreshold = 10, failureRatio = 1.0, delay = 5000,
            successThreshold = 1)
    public <T> T send(Supplier<T> call) {
        return call.get();
    }

    public Duration breakerDelay() {
        return Duration.ofMillis(breakerDelayMillis);
    }

    /** Wix's answer to a JAX-RS client call, read whole; a 5xx or no answer at all is a {@link WixOutage}. */
    static WixAnswer answerOf(Supplier<Response> request) {
        try (Response response = request.get()) {
            WixAnswer answer = new WixAnswer(response.getStatus(), response.readEntity(String.class),
                    response.getHeaderString("x-wix-request-id"), response.getHeaderString("Retry-After"));
            if (answer.status() >= 500) {
                throw new WixOutage(answer);
            }
            return answer;
        } catch (ProcessingException e) {
            // Timeouts, refused and dropped connections: nothing reached us.
            throw new WixOutage("Wix did not answer", e);
        }
    }
}

package io.wixoauth.core.wix;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.Secret;
import io.wixoauth.api.error.UpstreamRejectedException;
import io.wixoauth.api.error.UpstreamThrottledException;
import io.wixoauth.api.error.UpstreamUnavailableException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.platform.ServiceMetrics.Outcome;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Calls Wix's OAuth endpoints. Every call has a connect and a read timeout and goes through {@link WixGate}'s
 * bulkhead and circuit breaker; transient failures are retried a bounded number of times with a jittered delay
 * (MicroProfile Fault Tolerance, tunable by configuration) while the {@link RetryBudget} lasts; permanent ones and
 * throttling (429) are not retried at once; {@link WixBackoff} spaces out the next attempts.
 */
@ApplicationScoped
public class WixOAuthClient {

    private static final Logger LOG = Logs.of(WixOAuthClient.class);
    private static final Duration SHED_WAIT = Duration.ofSeconds(1);

    @Inject
    WixSettings settings;

    @Inject
    ServiceMetrics metrics;

    @Inject
    WixGate gate;

    @Inject
    RetryBudget budget;

    @Inject
    Apps apps;

    @Inject
    SecretRefusals refusals;

    private WixOAuthApi api;

    @PostConstruct
    void connect() {
        api = RestClientBuilder.newBuilder()
                .baseUri(settings.apiBaseUrl())
                .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // Non-2xx answers are classified here, not turned into generic WebApplicationExceptions.
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(WixOAuthApi.class);
    }

    /** Create Access Token with client credentials (protocol section 1), as the app the instance installed. */
    @Retry(retryOn = UpstreamUnavailableException.class,
            abortOn = {UpstreamRejectedException.class, UpstreamThrottledException.class, LoadShedException.class})
    public WixToken createAccessToken(AppId appId, InstanceId instanceId) {
        AppCredentials app = credentials(appId);
        String body = Jsonp.object()
                .add("grant_type", "client_credentials")
                .add("client_id", app.appId().value())
                .add("client_secret", app.secret().reveal())
                .add("instance_id", instanceId.value())
                .build()
                .toString();
        WixAnswer answer = call("create access token", instanceId, () -> api.createAccessToken(body));
        if (!answer.isSuccess()) {
            throw failure(app, answer, "issue an access token for instance " + instanceId);
        }
        return answer.toClientCredentialsToken();
    }

    /**
     * Request an Access Token (protocol section 3). Never retried: a code is single-use, and a retry after a lost
     * answer would only be refused. A failure here is what the fallback to client credentials is for.
     */
    public WixGrant exchangeCode(AppId appId, InstanceId instanceId, String code) {
        AppCredentials app = credentials(appId);
        String body = Jsonp.object()
                .add("grant_type", "authorization_code")
                .add("client_id", app.appId().value())
                .add("client_secret", app.secret().reveal())
                .add("code", code)
                .build()
                .toString();
        WixAnswer answer = call("code exchange", instanceId, () -> api.access(body));
        if (!answer.isSuccess()) {
            throw failure(app, answer, "exchange the authorization code");
        }
        return answer.toGrant();
    }

    /** Refresh an Access Token (protocol section 4); 400/401/403 mean the refresh token is unusable. */
    @Retry(retryOn = UpstreamUnavailableException.class,
            abortOn = {UpstreamRejectedException.class, UpstreamThrottledException.class, LoadShedException.class})
    public WixGrant refresh(AppId appId, InstanceId instanceId, Secret refreshToken) {
        AppCredentials app = credentials(appId);
        String body = Jsonp.object()
                .add("grant_type", "refresh_token")
                .add("client_id", app.appId().value())
                .add("client_secret", app.secret().reveal())
                .add("refresh_token", refreshToken.reveal())
                .build()
                .toString();
        WixAnswer answer = call("refresh", instanceId, () -> api.access(body));
        if (!answer.isSuccess()) {
            throw failure(app, answer, "refresh the access token of instance " + instanceId);
        }
        return answer.toGrant();
    }

    /** The app's credentials as every node knows them now; not sent while Wix refused these very ones moments ago. */
    private AppCredentials credentials(AppId appId) {
        AppCredentials app = apps.credentials(appId);
        refusals.checkNotRefused(app);
        return app;
    }

    /** The app's secret refused is the app's failure, never the instance's or its grant's (protocol section 12). */
    private RuntimeException failure(AppCredentials app, WixAnswer answer, String operation) {
        return answer.refusesClient() ? refusals.refused(app) : answer.toFailure(operation);
    }

    /**
     * Token Info (protocol section 5): whose token this is. Asking changes nothing at Wix, so a transient failure is
     * retried like a token request.
     */
    @Retry(retryOn = UpstreamUnavailableException.class,
            abortOn = {UpstreamRejectedException.class, UpstreamThrottledException.class, LoadShedException.class})
    public TokenInfo tokenInfo(InstanceId claimedInstance, Secret token) {
        String body = Jsonp.object().add("token", token.reveal()).build().toString();
        WixAnswer answer = call("token info", claimedInstance, () -> api.tokenInfo(body));
        if (!answer.isSuccess()) {
            throw answer.toFailure("tell whose token this is");
        }
        return answer.toTokenInfo();
    }

    /** Tells Wix the instance finished its setup, so it leaves "Setup Incomplete" (protocol section 8). */
    public void sendBiEvent(InstanceId instanceId, Secret accessToken, String eventName) {
        String body = Jsonp.object().add("eventName", eventName).build().toString();
        WixAnswer answer = call("BI event " + eventName, instanceId, () -> api.biEvent(accessToken.reveal(), body));
        if (!answer.isSuccess()) {
            throw answer.toFailure("record the BI event " + eventName);
        }
    }

    /**
     * One call through {@link WixGate}. Returns Wix's answer when it is a success or a refusal of this request (4xx,
     * 429); throws when Wix is down (no answer, 5xx): a retryable failure while the retry budget lasts, else a
     * {@link LoadShedException}, as when the gate itself refused the call.
     */
    private WixAnswer call(String operation, InstanceId instanceId, Supplier<Response> request) {
        long started = System.nanoTime();
        try {
            budget.attempted();
            WixAnswer answer = gate.send(() -> WixGate.answerOf(request));
            measured(operation, started, answer.status() == 429 ? Outcome.THROTTLED : Outcome.ANSWERED);
            log(answer.isSuccess() ? Level.FINE : Level.WARNING, operation, instanceId, answer.status(),
                    answer.wixRequestId(), started);
            return answer;
        } catch (WixOutage e) {
            measured(operation, started, Outcome.FAILED);
            log(Level.WARNING, operation, instanceId, e.answer().map(WixAnswer::status).orElse(-1),
                    e.answer().map(WixAnswer::wixRequestId).orElse(null), started);
            UpstreamUnavailableException failure = e.answer()
                    .map(answer -> (UpstreamUnavailableException) answer.toFailure(operation))
                    .orElseGet(() -> new UpstreamUnavailableException("Wix did not answer (" + rootCauseName(e)
                            + "); try again shortly", e));
            if (!budget.tryRetry()) {
                throw new LoadShedException(failure.getMessage() + "; too many retries to Wix lately, not retried",
                        SHED_WAIT);
            }
            throw failure;
        } catch (CircuitBreakerOpenException e) {
            metrics.wixPaused();
            throw new LoadShedException("Wix is failing for every instance; calls to it are paused",
                    gate.breakerDelay());
        } catch (BulkheadException e) {
            throw new LoadShedException("Too many calls to Wix are in flight on this node; try again shortly",
                    SHED_WAIT);
        }
    }

    /** Wix's latency, for calls that reached it (or tried to): a call the gate refused is not one. */
    private void measured(String operation, long started, Outcome outcome) {
        metrics.upstreamCall(endpoint(operation), Duration.ofNanos(System.nanoTime() - started), outcome);
    }

    private static void log(Level level, String operation, InstanceId instanceId, int status, String wixRequestId, long started) {
        if (LOG.isLoggable(level)) {
            LOG.log(level, "Wix {0} for instance {1}: status {2}, x-wix-request-id {3}, {4} ms",
                    new Object[]{operation, instanceId, status == -1 ? "no answer" : status, wixRequestId,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)});
        }
    }

    /** The metric tag: the operation's first word (create, code, refresh, BI), never an id. */
    private static String endpoint(String operation) {
        return operation.startsWith("BI event") ? "bi_event" : operation.replace(' ', '_');
    }

    private static String rootCauseName(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root instanceof java.net.SocketTimeoutException ? "timed out" : "connection failed";
    }
}

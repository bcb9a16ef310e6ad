package io.wixoauth.core.proxy;

import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.error.PayloadTooLargeException;
import io.wixoauth.api.error.UpstreamRejectedException;
import io.wixoauth.api.error.UpstreamUnavailableException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.proxy.CallBody;
import io.wixoauth.api.proxy.WixApiProxy;
import io.wixoauth.api.proxy.WixCall;
import io.wixoauth.api.proxy.WixReply;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.core.audit.AuditBuffer;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.core.relay.RetrySchedule;
import io.wixoauth.core.wix.WixSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import io.wixoauth.core.wix.WixGate;
import io.wixoauth.core.wix.WixOutage;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A call to Wix's API for a backend, in the order it meets the steps:
 * <ol>
 *   <li>the caller's groups may call the path ({@link ProxyAllowList});</li>
 *   <li>the instance's access token, from the token service's cache (one fetch per expiry, as for the token API);</li>
 *   <li>a call from the instance's budget ({@link CallBudget}), else 429 without calling Wix;</li>
 *   <li>the call, with the token as Wix expects it ({@code Authorization: <token>}, no {@code Bearer}, protocol
 *       section 0), at most {@code oauth.proxy.max-concurrent} in flight on the node;</li>
 *   <li>Wix's {@code 401} on a live token: the token is replaced (one fetch however many callers saw it) and the call
 *       sent once more, if its body can be sent again; a second {@code 401} is given up. Wix's {@code 429}: passed on,
 *       and the instance backs off on every node.</li>
 * </ol>
 * Every call is audited ({@code wix.called}, batched, never on the request's path) and measured.
 */
@ApplicationScoped // no transaction of its own: none may stay open while Wix is called (the budget's writes have theirs)
public class DefaultWixApiProxy implements WixApiProxy {

    private static final Logger LOG = Logs.of(DefaultWixApiProxy.class);

    /** Never passed back: they describe this hop, not Wix's answer (RFC 9110 section 7.6.1), or set Wix's cookies. */
    private static final Set<String> NOT_PASSED_BACK = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "set-cookie", "set-cookie2",
            "content-length", ":status");

    /** How many distinct Wix APIs get their own metric tag; a caller inventing paths cannot grow /metrics past it. */
    private static final int MAX_API_TAGS = 100;

    @Inject
    Clock clock;

    @Inject
    AccessTokenService tokens;

    @Inject
    CallBudget budget;

    @Inject
    ProxyAllowList allowList;

    @Inject
    WixSettings wix;

    @Inject
    AuditBuffer audit;

    @Inject
    ServiceMetrics metrics;

    @Inject
    @ConfigProperty(name = "oauth.proxy.timeout")
    Duration timeout;

    @Inject
    @ConfigProperty(name = "oauth.proxy.max-concurrent")
    int maxConcurrent;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    WixGate gate;

    private HttpClient client;
    private Semaphore inFlight;
    private StallGuard stalls;
    private ScheduledFuture<?> stallChecks;
    private final Set<String> apiTags = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @PostConstruct
    void start() {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(wix.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("http".equalsIgnoreCase(wix.apiBaseUrl().getScheme())) {
            builder.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade headers to a plain-HTTP Wix (the simulator)
        }
        client = builder.build();
        inFlight = new Semaphore(maxConcurrent);
        stalls = new StallGuard(timeout);
        long every = stalls.checkEvery().toMillis();
        stallChecks = scheduler.scheduleWithFixedDelay(stalls::cutSilent, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        stallChecks.cancel(false);
    }

    @Override
    public WixReply call(WixCall call) {
        allowList.check(call);
        IssuedAccessToken token = tokens.accessTokenFor(call.appId(), call.instanceId());
        // The short form names no app: the token's is the installation's (an instance is one app's).
        budget.take(call.instanceId(), token.appId());
        HttpResponse<InputStream> response = send(call, token, call.body());
        if (response.statusCode() == 401) {
            response = afterRefusedToken(call, token, response);
        }
        if (response.statusCode() == 429) {
            metrics.wixCallThrottled(token.appId().value(), "wix");
            budget.backOff(call.instanceId(), RetrySchedule.retryAfter(response.headers(), Instant.now(clock)));
        }
        return new WixReply(response.statusCode(), passedBack(response), guarded(response));
    }

    /**
     * Wix refused a token that had not expired (revoked, or the app's permissions changed): replace it and send once
     * more, if the body can be sent again. A second refusal, of a token Wix has just issued, is Wix's last word.
     */
    private HttpResponse<InputStream> afterRefusedToken(WixCall call, IssuedAccessToken refused,
                                                        HttpResponse<InputStream> response) {
        discard(response);
        IssuedAccessToken fresh = tokens.replaceRefused(call.instanceId(), refused.token());
        if (!call.body().replayable()) {
            throw new UpstreamUnavailableException("Wix refused the instance's access token before it expired; the "
                    + "token has been replaced. The request body was streamed and cannot be sent twice: send the "
                    + "request again.", Duration.ofSeconds(1));
        }
        budget.take(call.instanceId(), fresh.appId());
        HttpResponse<InputStream> again = send(call, fresh, call.body());
        if (again.statusCode() == 401) {
            discard(again);
            throw new UpstreamRejectedException("Wix refused the instance's access token, and a new one too: the app "
                    + "may have lost its permissions on this site, or been removed.", 401);
        }
        return again;
    }

    private HttpResponse<InputStream> send(WixCall call, IssuedAccessToken token, CallBody body) {
        if (!inFlight.tryAcquire()) {
            throw new UpstreamUnavailableException("Too many calls to Wix are in flight on this node; try again "
                    + "shortly.", Duration.ofSeconds(1));
        }
        String api = apiTag(call);
        long started = System.nanoTime();
        try {
            HttpResponse<InputStream> response = throughTheGate(token.appId(), request(call, token, body));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.wixCall(token.appId().value(), api, response.statusCode(), took);
            String wixRequestId = response.headers().firstValue("x-wix-request-id").orElse("-");
            // Wix's request id is what Wix's support asks for: logged with every refusal (at INFO), every call at FINE.
            LOG.log(response.statusCode() >= 400 ? java.util.logging.Level.INFO : java.util.logging.Level.FINE,
                    () -> call.method() + " /" + call.path() + " for " + call.instanceId().value() + ": Wix answered "
                            + response.statusCode() + " in " + took.toMillis() + " ms, x-wix-request-id " + wixRequestId);
            audit.add(AuditEvent.of("wix.called", call.caller(), call.instanceId().value(),
                            String.valueOf(response.statusCode()))
                    .withRequestId(call.requestId()).withApp(token.appId().value())
                    .withDetails(abbreviated(call.method() + " /" + call.path()) + " x-wix-request-id=" + wixRequestId));
            return response;
        } catch (Unanswered e) {
            boolean timedOut = e.getCause() instanceof HttpTimeoutException;
            metrics.wixCall(token.appId().value(), api, timedOut ? 504 : 502, Duration.ofNanos(System.nanoTime() - started));
            throw new UpstreamUnavailableException(timedOut ? "Wix did not answer within " + timeout.toSeconds() + " s."
                    : "Wix could not be reached.", Duration.ofSeconds(5));
        } finally {
            inFlight.release();
        }
    }

    /**
     * The call, through the gate every call to Wix takes (its bulkhead and circuit breaker, shared with the token
     * path): Wix's 5xx and silence count as Wix down there, and a 5xx is still passed back to the caller as Wix gave it.
     */
    private HttpResponse<InputStream> throughTheGate(AppId app, HttpRequest request) {
        try {
            return gate.send(() -> {
                HttpResponse<InputStream> response;
                try {
                    response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    PayloadTooLargeException tooLarge = causeOf(e, PayloadTooLargeException.class);
                    if (tooLarge != null) {
                        throw tooLarge; // the caller's body, not Wix
                    }
                    throw new Unanswered(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UpstreamUnavailableException("The call to Wix was interrupted.", Duration.ofSeconds(1));
                }
                if (response.statusCode() >= 500) {
                    throw new ServerError(response);
                }
                return response;
            });
        } catch (ServerError e) {
            return e.response;
        } catch (CircuitBreakerOpenException e) {
            metrics.wixCallThrottled(app.value(), "breaker");
            throw new UpstreamUnavailableException("Wix is failing for every instance; calls to it are paused.",
                    gate.breakerDelay());
        } catch (BulkheadException e) {
            metrics.wixCallThrottled(app.value(), "bulkhead");
            throw new UpstreamUnavailableException("Too many calls to Wix are in flight on this node; try again "
                    + "shortly.", Duration.ofSeconds(1));
        }
    }

    /** Wix answered 5xx: down, for the breaker; the answer itself goes back to the caller. */
    private static final class ServerError extends WixOutage {
        private final transient HttpResponse<InputStream> response;

        ServerError(HttpResponse<InputStream> response) {
            super("Wix answered HTTP " + response.statusCode());
            this.response = response;
        }
    }

    /** Wix did not answer (a timeout, a refused or dropped connection). */
    private static final class Unanswered extends WixOutage {
        Unanswered(IOException cause) {
            super("Wix did not answer", cause);
        }
    }

    private HttpRequest request(WixCall call, IssuedAccessToken token, CallBody body) {
        URI uri = URI.create(stripTrailingSlash(wix.apiBaseUrl().toString()) + "/" + call.path().raw()
                + (call.rawQuery() == null ? "" : "?" + call.rawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(call.method(), publisher(body));
        call.headers().forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        return request.header("Authorization", token.token().reveal()).build();
    }

    private static HttpRequest.BodyPublisher publisher(CallBody body) {
        if (body instanceof CallBody.Whole whole) {
            return HttpRequest.BodyPublishers.ofByteArray(whole.bytes());
        }
        if (body instanceof CallBody.Streamed streamed) {
            return HttpRequest.BodyPublishers.ofInputStream(() ->
                    new SequenceInputStream(new ByteArrayInputStream(streamed.head()), streamed.rest()));
        }
        return HttpRequest.BodyPublishers.noBody();
    }

    private static Map<String, List<String>> passedBack(HttpResponse<?> response) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().map().forEach((name, values) -> {
            if (!NOT_PASSED_BACK.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, values);
            }
        });
        response.headers().firstValue("content-length").ifPresent(length -> headers.put("Content-Length",
                List.of(length)));
        return headers;
    }

    /** The Wix API as a metric tag: {@code contacts/v4}; past {@value #MAX_API_TAGS} distinct ones, {@code other}. */
    private String apiTag(WixCall call) {
        String api = call.path().api();
        if (apiTags.contains(api) || apiTags.size() < MAX_API_TAGS && apiTags.add(api)) {
            return api;
        }
        return "other";
    }

    /** The body, closed if Wix stops sending it for {@code oauth.proxy.timeout}. */
    private InputStream guarded(HttpResponse<InputStream> response) {
        return stalls.watch(response.body());
    }

    private void discard(HttpResponse<InputStream> response) {
        try (InputStream body = guarded(response)) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // nothing to keep from a refused call's body
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 900 ? text : text.substring(0, 900) + "…";
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}

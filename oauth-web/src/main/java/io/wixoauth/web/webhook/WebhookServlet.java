package io.wixoauth.web.webhook;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.webhook.WebhookService;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.web.http.BodyLimit;
import io.wixoauth.web.error.ErrorResponses;
import io.wixoauth.web.error.ServiceExceptionMapper;
import io.wixoauth.web.error.UnexpectedExceptionMapper;
import io.wixoauth.web.http.RequestReference;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wix's webhook URL (protocol section 6), {@code /webhooks/wix} for the default app and {@code /webhooks/wix/{appId}}
 * for each other app, verified with that app's keys only: the body is a JWT, whatever content type it comes with. Anyone may post
 * here, and a client that sends its body a byte at a time would hold a request thread as long as it liked; so the
 * body is read with Servlet non-blocking I/O, holding no thread while it arrives, and must arrive whole within
 * {@link #ARRIVAL_LIMIT} (408) and {@link BodyLimit#MAX_BYTES} (413). Wix sends a few kilobytes at once. Errors are
 * answered by the same mapping as every JAX-RS resource.
 */
@WebServlet(urlPatterns = {"/webhooks/wix", "/webhooks/wix/*"}, asyncSupported = true)
public class WebhookServlet extends HttpServlet {

    static final Duration ARRIVAL_LIMIT = Duration.ofSeconds(10);
    private static final Logger LOG = Logs.of(WebhookServlet.class);

    @Inject
    transient WebhookService webhooks;

    @Resource
    transient ManagedScheduledExecutorService scheduler;

    /** The request attribute that carries a settled answer back to the container's thread. */
    private static final String SETTLED = WebhookServlet.class.getName() + ".answer";

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            answerSettled(request, response);
            return;
        }
        if (request.getContentLengthLong() > BodyLimit.MAX_BYTES) {
            ErrorResponses.write(response, ErrorResponses.response(413));
            return;
        }
        if (hasNoBody(request)) {
            ErrorResponses.write(response, receive(request, ""));
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(ARRIVAL_LIMIT.plusSeconds(5).toMillis()); // a safety net behind the deadline below
        async.addListener(new LostDispatch());
        ServletInputStream in = request.getInputStream();
        in.setReadListener(new Arrival(request, async, in));
    }

    /**
     * The second pass, on a thread the container dispatched: the only place the response of a body read
     * asynchronously is written. Writing it from the read listener or the deadline's thread raced the container's
     * own handling of the request (Grizzly answered 500, "Response has not been set").
     */
    private static void answerSettled(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getAttribute(SETTLED) instanceof Response answer) {
            answerSettled(request, response, answer);
        }
    }

    private static void answerSettled(HttpServletRequest request, HttpServletResponse response, Response answer)
            throws IOException {
        if (!response.isCommitted()) {
            // The connection ends with this answer: after a timeout or an oversized body the rest is not worth
            // reading, and after any body read this way Grizzly (Payara 6.2025.10) may still hold the read listener
            // when the next request on the connection arrives, and drop that request with a NullPointerException
            // (seen in AnonymousFloodIT: the client got no answer at all). Wix sends each webhook on its own.
            response.setHeader("Connection", "close");
            ErrorResponses.write(response, answer);
        }
    }

    /**
     * The safety net's answer. Payara can lose a dispatch that lands while the container is still leaving the first
     * pass (the request then waits for the timeout, and the container would answer a bare 500: one forged webhook in
     * a thousand, once, in AnonymousFloodIT on PostgreSQL). Here the answer already settled is written late rather
     * than lost, or a 408 if nothing settled, and the loss is logged.
     */
    private static final class LostDispatch implements AsyncListener {
        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            HttpServletRequest request = (HttpServletRequest) event.getSuppliedRequest();
            Object settled = request.getAttribute(SETTLED);
            LOG.log(Level.WARNING, "Webhook request {0} not answered within {1} s ({2}); answered now",
                    new Object[]{RequestReference.of(request), ARRIVAL_LIMIT.plusSeconds(5).toSeconds(),
                            settled == null ? "its body never settled" : "its dispatch was lost"});
            answerSettled(request, (HttpServletResponse) event.getSuppliedResponse(), settled instanceof Response answer
                    ? answer : ErrorResponses.response(408, "request_timeout", "The webhook body did not arrive in time."));
            event.getAsyncContext().complete();
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    /**
     * The body as it arrives: settled exactly once, by the whole body, by its size, by the deadline or by an error,
     * and then dispatched back to the container, which runs {@link #answerSettled} and completes the request.
     */
    private final class Arrival implements ReadListener {
        private final HttpServletRequest request;
        private final AsyncContext async;
        private final ServletInputStream in;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[8192];
        private final AtomicBoolean settled = new AtomicBoolean();
        private final ScheduledFuture<?> deadline;

        Arrival(HttpServletRequest request, AsyncContext async, ServletInputStream in) {
            this.request = request;
            this.async = async;
            this.in = in;
            this.deadline = scheduler.schedule(() -> settle(ErrorResponses.response(408, "request_timeout",
                    "The webhook body did not arrive within " + ARRIVAL_LIMIT.toSeconds() + " s.")),
                    ARRIVAL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!settled.get() && in.isReady()) {
                int read = in.read(buffer);
                if (read < 0) {
                    return;
                }
                body.write(buffer, 0, read);
                if (body.size() > BodyLimit.MAX_BYTES) {
                    settle(ErrorResponses.response(413));
                }
            }
        }

        @Override
        public void onAllDataRead() {
            if (!settled.get()) {
                settle(receive(request, new String(body.toByteArray(), StandardCharsets.UTF_8)));
            }
        }

        @Override
        public void onError(Throwable failure) {
            settle(null); // the client went away: nothing to answer
        }

        private void settle(Response answer) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            deadline.cancel(false);
            if (answer == null) {
                async.complete(); // the client went away: nothing to answer
                return;
            }
            request.setAttribute(SETTLED, answer);
            async.dispatch();
        }
    }

    private Response receive(HttpServletRequest request, String jwt) {
        String reference = RequestReference.of(request);
        Logs.beginRequest(reference);
        try {
            String app = request.getPathInfo();
            if (app == null || app.equals("/")) {
                webhooks.receive(jwt); // the default app's address
            } else {
                webhooks.receive(app.substring(1), jwt); // another app's: /webhooks/wix/{appId}
            }
            return Response.ok(Jsonp.object().add("status", "accepted").build()).build();
        } catch (ServiceException e) {
            return ServiceExceptionMapper.forApi(e);
        } catch (RuntimeException e) {
            return UnexpectedExceptionMapper.forApi(e, reference);
        } finally {
            Logs.endRequest();
        }
    }

    /** Neither a length nor chunks: HTTP/1.1 says the body is empty (RFC 9112 section 6.3). */
    private static boolean hasNoBody(HttpServletRequest request) {
        return request.getContentLengthLong() == 0
                || request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") == null;
    }
}

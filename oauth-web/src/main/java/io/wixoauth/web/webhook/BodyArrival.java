package io.wixoauth.web.webhook;

import io.wixoauth.core.platform.Logs;
import io.wixoauth.web.BodyLimit;
import io.wixoauth.web.error.ErrorResponses;
import io.wixoauth.web.handshake.RequestReference;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Anyone may post to the webhook URL, and a client that sends its body one byte at a time would hold a request
 * thread for as long as it likes. Here the body arrives without holding a thread (Servlet non-blocking I/O), must
 * arrive whole within {@link #ARRIVAL_LIMIT} (408 otherwise) and within 64 KiB (413), and only then is the request
 * handed, with the body in memory, to the webhook resource. Wix sends a few kilobytes at once.
 */
@WebFilter(urlPatterns = "/webhooks/wix", asyncSupported = true,
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC})
public class BodyArrival implements Filter {

    static final Duration ARRIVAL_LIMIT = Duration.ofSeconds(10);
    private static final String BODY = BodyArrival.class.getName() + ".body";

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(BODY) instanceof byte[] body) {
            Logs.beginRequest(RequestReference.of(http));
            try {
                chain.doFilter(new Arrived(http, body), response);
            } finally {
                Logs.endRequest();
            }
            return;
        }
        if (!"POST".equals(http.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        if (http.getContentLengthLong() > BodyLimit.MAX_BYTES) {
            refuse((HttpServletResponse) response, 413, "payload_too_large", "A webhook body is at most 64 KiB.");
            return;
        }
        receive(http, (HttpServletResponse) response);
    }

    private void receive(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AsyncContext async = request.startAsync();
        // The container's own limit is only a safety net behind the arrival deadline below.
        async.setTimeout(ARRIVAL_LIMIT.plusSeconds(30).toMillis());
        AtomicBoolean settled = new AtomicBoolean();
        var deadline = scheduler.schedule(() -> {
            if (settled.compareAndSet(false, true)) {
                refuseAndClose(async, response, 408, "request_timeout",
                        "The webhook body did not arrive within " + ARRIVAL_LIMIT.toSeconds() + " s.");
            }
        }, ARRIVAL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        ServletInputStream in = request.getInputStream();
        in.setReadListener(new ReadListener() {
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();
            private final byte[] buffer = new byte[8192];

            @Override
            public void onDataAvailable() throws IOException {
                while (in.isReady()) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        return;
                    }
                    body.write(buffer, 0, read);
                    if (body.size() > BodyLimit.MAX_BYTES && settled.compareAndSet(false, true)) {
                        deadline.cancel(false);
                        refuseAndClose(async, response, 413, "payload_too_large", "A webhook body is at most 64 KiB.");
                        return;
                    }
                }
            }

            @Override
            public void onAllDataRead() {
                if (settled.compareAndSet(false, true)) {
                    deadline.cancel(false);
                    request.setAttribute(BODY, body.toByteArray());
                    async.dispatch();
                }
            }

            @Override
            public void onError(Throwable failure) {
                if (settled.compareAndSet(false, true)) {
                    deadline.cancel(false);
                    async.complete();
                }
            }
        });
    }

    private static void refuseAndClose(AsyncContext async, HttpServletResponse response, int status, String error,
                                       String description) {
        try {
            response.setHeader("Connection", "close");
            refuse(response, status, error, description);
        } catch (IOException | IllegalStateException e) {
            // the client went away
        } finally {
            async.complete();
        }
    }

    private static void refuse(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(ErrorResponses.body(error, description).toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The request as the webhook resource reads it: the same headers, the body from memory. */
    private static final class Arrived extends HttpServletRequestWrapper {
        private final byte[] body;

        Arrived(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream bytes = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body has arrived already");
                }

                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return bytes.read(b, off, len);
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}

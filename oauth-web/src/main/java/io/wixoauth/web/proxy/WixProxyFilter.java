package io.wixoauth.web.proxy;

import io.wixoauth.api.error.InvalidRequestException;
import io.wixoauth.api.error.PayloadTooLargeException;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.error.UpstreamUnavailableException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.proxy.CallBody;
import io.wixoauth.api.proxy.WixApiProxy;
import io.wixoauth.api.proxy.WixCall;
import io.wixoauth.api.proxy.WixPath;
import io.wixoauth.api.proxy.WixReply;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.web.http.BoundedInputStream;
import io.wixoauth.web.http.Roles;
import io.wixoauth.web.error.ErrorResponses;
import io.wixoauth.web.error.ServiceExceptionMapper;
import io.wixoauth.web.error.UnexpectedExceptionMapper;
import io.wixoauth.web.http.RequestReference;
import io.wixoauth.web.security.BackendBearer;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Wix API proxy's address, {@code /api/v1/instances/{instanceId}/wix/{path}}, any method (docs/api.md, "Calling
 * Wix"). A filter in front of JAX-RS, not a resource: the bodies stream both ways without being held, and the path is
 * read exactly as the caller sent it, still encoded ({@link WixPath} decides what may pass). Every other address
 * under {@code /api/v1/instances/} goes on to JAX-RS untouched.
 *
 * <p>Only the headers Wix's API reads about content go to Wix (an allow-list): the caller's {@code Authorization},
 * cookies, hop-by-hop and forwarding headers never do.
 */
@WebFilter(urlPatterns = {"/api/v1/instances/*", "/api/v1/apps/*"})
public class WixProxyFilter extends HttpFilter {

    private static final java.util.logging.Logger LOG = Logs.of(WixProxyFilter.class);
    private static final String PREFIX = "/api/v1/instances/";
    /** The same address naming the app: {@code /api/v1/apps/{appId}/instances/{id}/wix/...}. */
    private static final String APPS = "/api/v1/apps/";
    private static final String WIX = "/wix/";
    private static final int MAX_QUERY_LENGTH = 8192;

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    /** Headers about the content and its negotiation, and Wix's own {@code x-wix-*}; nothing about the caller. */
    private static final Set<String> FORWARDED = Set.of("accept", "accept-encoding", "accept-language",
            "content-type", "content-encoding", "content-language", "if-match", "if-none-match", "if-modified-since",
            "if-unmodified-since", "user-agent");

    @Inject
    transient WixApiProxy proxy;

    /** Who may call: a verified bearer token in group wix-caller (token-reader alone is not enough). */
    @Inject
    transient BackendBearer bearer;

    @Inject
    @ConfigProperty(name = "oauth.proxy.max-body-bytes")
    long maxBodyBytes;

    @Inject
    @ConfigProperty(name = "oauth.proxy.replayable-body-bytes")
    int replayableBodyBytes;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String appId = null;
        if (path.startsWith(APPS)) {
            int slash = path.indexOf('/', APPS.length());
            if (slash < 0 || !path.startsWith("/instances/", slash)) {
                chain.doFilter(request, response);
                return;
            }
            appId = path.substring(APPS.length(), slash);
            path = "/api/v1" + path.substring(slash);
        }
        int wix = path.indexOf(WIX, PREFIX.length());
        if (!path.startsWith(PREFIX) || wix < 0 || path.lastIndexOf('/', wix - 1) != PREFIX.length() - 1) {
            chain.doFilter(request, response);
            return;
        }
        String reference = RequestReference.of(request);
        response.setHeader("X-Request-Id", reference);
        Logs.beginRequest(reference);
        try {
            BackendBearer.Checked checked = bearer.check(request, Roles.WIX_CALLER,
                    "Calling Wix through the service needs group " + Roles.WIX_CALLER + ".");
            if (checked.refused() || !METHODS.contains(request.getMethod())) {
                ErrorResponses.write(response, checked.refused() ? checked.refusal() : ErrorResponses.response(405));
                return;
            }
            WixCall call = new WixCall(checked.caller().name(), checked.caller().groups()::contains,
                    InstanceId.of(path.substring(PREFIX.length(), wix)), appId == null ? null : AppId.of(appId),
                    request.getMethod(),
                    new WixPath(path.substring(wix + WIX.length())), query(request), forwarded(request),
                    body(request), reference);
            try (WixReply reply = proxy.call(call)) {
                pass(reply, request, response);
            } catch (WixBodyBroken broken) {
                LOG.info(() -> "Proxy answer " + reference + " broke off: " + broken.getCause().getMessage());
                if (response.isCommitted()) {
                    // Part of Wix's answer is on its way to the caller: only a broken connection tells it the answer
                    // is not whole.
                    if (!ConnectionAbort.abort(response)) {
                        LOG.warning(() -> "Proxy answer " + reference + " broke off after part of it was sent, and "
                                + "the connection could not be broken: the caller may take the part for the whole");
                    }
                    return;
                }
                answer(response, ServiceExceptionMapper.forApi(new UpstreamUnavailableException(
                        "Wix's answer broke off midway; none of it was passed on.", Duration.ofSeconds(5))));
            } catch (IOException gone) {
                LOG.fine(() -> "Proxy answer " + reference + " ended early, the caller went away: " + gone);
            }
        } catch (ServiceException e) {
            answer(response, ServiceExceptionMapper.forApi(e));
        } catch (RuntimeException e) {
            answer(response, UnexpectedExceptionMapper.forApi(e, reference));
        } finally {
            Logs.endRequest();
        }
    }

    /** The query as sent, if it is a valid URI query of a sane length (it goes to Wix unchanged). */
    private static String query(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            throw new InvalidRequestException("The query string is longer than " + MAX_QUERY_LENGTH + " characters.");
        }
        try {
            new URI("http://wix/?" + query);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("The query string is not a valid URI query.");
        }
        return query;
    }

    private static Map<String, List<String>> forwarded(HttpServletRequest request) {
        Map<String, List<String>> headers = new TreeMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (FORWARDED.contains(lower) || lower.startsWith("x-wix-")) {
                headers.put(lower, Collections.list(request.getHeaders(name)));
            }
        }
        return headers;
    }

    /**
     * The body: none; whole, when it ends within {@code oauth.proxy.replayable-body-bytes} (it can be sent twice);
     * else streamed as it arrives. Never more than {@code oauth.proxy.max-body-bytes}.
     */
    private CallBody body(HttpServletRequest request) throws IOException {
        long announced = request.getContentLengthLong();
        if (announced > maxBodyBytes) {
            throw tooLarge();
        }
        if (announced == 0 || announced < 0 && request.getHeader("Transfer-Encoding") == null) {
            return CallBody.none(); // RFC 9112 section 6.3: neither a length nor chunks
        }
        InputStream in = new BoundedInputStream(request.getInputStream(), maxBodyBytes, this::tooLarge);
        byte[] head = in.readNBytes(replayableBodyBytes + 1);
        if (head.length <= replayableBodyBytes) {
            return new CallBody.Whole(head);
        }
        return new CallBody.Streamed(head, in);
    }

    /** Wix's answer as Wix gave it; its body copied as it arrives, never held whole. */
    private static void pass(WixReply reply, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setStatus(reply.status());
        reply.headers().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        if ("HEAD".equals(request.getMethod())) {
            return;
        }
        OutputStream out = response.getOutputStream();
        byte[] buffer = new byte[16 * 1024];
        for (int read; (read = fromWix(reply.body(), buffer)) >= 0; ) {
            out.write(buffer, 0, read);
        }
        out.flush();
    }

    private static int fromWix(InputStream body, byte[] buffer) throws WixBodyBroken {
        try {
            return body.read(buffer);
        } catch (IOException e) {
            throw new WixBodyBroken(e);
        }
    }

    /** Wix's body stopped arriving (it stalled, or its connection broke), as opposed to the caller going away. */
    private static final class WixBodyBroken extends IOException {
        WixBodyBroken(IOException cause) {
            super("Wix's answer broke off", cause);
        }
    }

    private static void answer(HttpServletResponse response, Response answer) throws IOException {
        if (!response.isCommitted()) {
            String reference = response.getHeader("X-Request-Id");
            response.reset();
            response.setHeader("X-Request-Id", reference);
            ErrorResponses.write(response, answer);
        }
    }

    private PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("The request body is larger than the proxy takes ("
                + maxBodyBytes + " bytes, oauth.proxy.max-body-bytes).");
    }
}

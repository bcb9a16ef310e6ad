package io.wixoauth.web.token;

import io.wixoauth.api.Jsonp;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.web.error.ErrorResponses;
import io.wixoauth.web.error.ServiceExceptionMapper;
import io.wixoauth.web.error.UnexpectedExceptionMapper;
import io.wixoauth.web.http.RequestReference;
import io.wixoauth.web.http.Roles;
import io.wixoauth.web.security.BackendBearer;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The token read, {@code GET /api/v1/instances/{instanceId}/access-token}, or naming the app,
 * {@code GET /api/v1/apps/{appId}/instances/{instanceId}/access-token} (docs/api.md): {@code 200
 * {"access_token", "expires_at", "source"}}, never cached by intermediaries (RFC 6749 section 5.1). The busiest
 * address of the service, so a servlet of its own rather than a JAX-RS resource: a warm read is the bearer check
 * ({@link BackendBearer}, group token-reader), the cache and the JSON, nothing else (bench/NOTES.md). Its answers and
 * errors are the API's usual ones ({@link ErrorResponses}); it is described in {@code META-INF/openapi.yaml}.
 *
 * <p>The Wix API proxy's filter ({@code web.proxy.WixProxyFilter}) stands in front of the same mapping and takes
 * {@code .../wix/...}; every other address here is answered {@code 404}.
 */
@WebServlet(urlPatterns = {BackendBearer.PATH + "/*", BackendBearer.APP_PATH + "/*"})
public class AccessTokenServlet extends HttpServlet {

    private static final String SUFFIX = "/access-token";
    private static final String INSTANCES = "/instances/";
    private static final String ALLOW = "GET, HEAD, OPTIONS";

    @Inject
    transient AccessTokenService tokens;

    @Inject
    transient BackendBearer bearer;

    /** What an address names: the instance, and the app or null. */
    private record Address(String appId, String instanceId) {
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Address address = addressOf(request);
        if (address == null) {
            ErrorResponses.write(response, ErrorResponses.response(404));
            return;
        }
        String method = request.getMethod();
        if ("OPTIONS".equals(method)) {
            response.setHeader("Allow", ALLOW);
            response.setStatus(204);
            return;
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            ErrorResponses.write(response, Response.fromResponse(ErrorResponses.response(405))
                    .header("Allow", ALLOW).build());
            return;
        }
        BackendBearer.Checked checked = bearer.check(request, Roles.TOKEN_READER,
                "The bearer token does not grant access to this resource.");
        if (checked.refused()) {
            ErrorResponses.write(response, checked.refusal());
        } else if (!acceptsJson(request.getHeader("Accept"))) {
            ErrorResponses.write(response, ErrorResponses.response(406));
        } else {
            serve(checked.caller().name(), address, request, response);
        }
    }

    private void serve(String caller, Address address, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String reference = RequestReference.of(request);
        byte[] body;
        try {
            AppId app = address.appId() == null ? null : AppId.of(address.appId());
            IssuedAccessToken issued = tokens.serveTo(caller, app, InstanceId.of(address.instanceId()), reference);
            body = Jsonp.object()
                    .add("access_token", issued.token().reveal())
                    .add("expires_at", issued.expiresAt().toString())
                    .add("source", issued.source().wireName())
                    .build().toString().getBytes(StandardCharsets.UTF_8);
        } catch (ServiceException e) {
            ErrorResponses.write(response, ServiceExceptionMapper.forApi(e));
            return;
        } catch (RuntimeException e) {
            ErrorResponses.write(response, UnexpectedExceptionMapper.forApi(e, reference));
            return;
        }
        response.setStatus(200);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /**
     * The ids of {@code /api/v1/instances/{instanceId}/access-token} or
     * {@code /api/v1/apps/{appId}/instances/{instanceId}/access-token}, percent-decoded as JAX-RS decodes a path
     * parameter, or null for any other address. Read from the request line as sent, so that an encoded slash or dot
     * segment stays inside an id (and is refused as an id) instead of changing the address.
     */
    private static Address addressOf(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String appId = null;
        String rest;
        if (path.startsWith(BackendBearer.APP_PATH + "/")) {
            String named = path.substring(BackendBearer.APP_PATH.length() + 1); // {appId}/instances/{id}/access-token
            int slash = named.indexOf('/');
            if (slash < 0 || !named.startsWith(INSTANCES, slash)) {
                return null;
            }
            appId = segment(named.substring(0, slash));
            rest = named.substring(slash + INSTANCES.length());
        } else if (path.startsWith(BackendBearer.PATH + "/")) {
            rest = path.substring(BackendBearer.PATH.length() + 1);
        } else {
            return null;
        }
        if (!rest.endsWith(SUFFIX)) {
            return null;
        }
        String instanceId = segment(rest.substring(0, rest.length() - SUFFIX.length()));
        boolean named = path.startsWith(BackendBearer.APP_PATH + "/");
        return instanceId == null || named && appId == null ? null : new Address(appId, instanceId);
    }

    /** One path segment, percent-decoded; null when empty or when it holds a slash. */
    private static String segment(String encoded) {
        if (encoded.isEmpty() || encoded.indexOf('/') >= 0) {
            return null;
        }
        try {
            return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return encoded; // not a valid escape: refused as an instance id, with the usual 400
        }
    }

    /** No Accept header, or one that takes JSON (RFC 9110 section 12.5.1; a range with q=0 is refused). */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            if (!type.equals("application/json") && !type.equals("application/*") && !type.equals("*/*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    refused = parameter.substring(2).strip().matches("0(\\.0{0,3})?");
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }
}

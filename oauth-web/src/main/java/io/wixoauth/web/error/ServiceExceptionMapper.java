package io.wixoauth.web.error;

import io.wixoauth.api.error.CallBudgetSpentException;
import io.wixoauth.api.error.ErrorKind;
import io.wixoauth.api.error.UpstreamUnavailableException;
import io.wixoauth.api.error.ServiceException;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.web.http.BrowserFacing;
import io.wixoauth.web.handshake.InstallPages;
import io.wixoauth.web.http.RequestReference;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.logging.Logger;

/**
 * A business exception's message is written for the caller; its kind decides the status. A site owner's browser
 * gets a friendly page with a reference instead, and the reference goes to the log with the reason.
 */
@Provider
public class ServiceExceptionMapper implements ExceptionMapper<ServiceException> {

    private static final Logger LOG = Logs.of(ServiceExceptionMapper.class);

    /** Clients that honour it wait this long before asking again after a 503. */
    static final String RETRY_AFTER_SECONDS = "5";

    @Context
    ResourceInfo resource;

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(ServiceException e) {
        return isBrowserFacing(resource) ? withHeaders(page(e), e) : forApi(e);
    }

    /** The JSON answer to an API caller, also for callers outside JAX-RS (the webhook servlet). */
    public static Response forApi(ServiceException e) {
        return withHeaders(Response.fromResponse(ErrorResponses.response(status(e.kind()), e.errorCode(),
                e.getMessage())), e);
    }

    private static Response withHeaders(Response.ResponseBuilder response, ServiceException e) {
        if (e instanceof CallBudgetSpentException spent) {
            response.header("Retry-After", seconds(spent.retryAfter()));
        }
        if (e instanceof UpstreamUnavailableException unavailable) {
            response.header("Retry-After", unavailable.retryAfter()
                    .map(wait -> String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000)))
                    .orElse(RETRY_AFTER_SECONDS));
        }
        if (e.kind() == ErrorKind.UNAUTHENTICATED) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response.build();
    }

    /** Whole seconds, rounded up, at least 1 (RFC 9110 section 10.2.3 has no fractions). */
    static String seconds(java.time.Duration wait) {
        return String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000));
    }

    private Response.ResponseBuilder page(ServiceException e) {
        String reference = RequestReference.of(request);
        // The service logged the refusal already, within a budget: anyone can make these pages, as often as they like.
        LOG.fine(() -> "Install page refused (reference " + reference + ", " + e.errorCode() + "): " + e.getMessage());
        int status = e.kind() == ErrorKind.UPSTREAM_UNAVAILABLE ? 503 : 400;
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .entity(InstallPages.failure(e.kind(), e.errorCode(), reference));
    }

    static boolean isBrowserFacing(ResourceInfo resource) {
        return resource != null && resource.getResourceClass() != null
                && resource.getResourceClass().isAnnotationPresent(BrowserFacing.class);
    }

    static int status(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case GONE -> 410;
            case CONFLICT -> 409;
            case RATE_LIMITED -> 429;
            case TOO_LARGE -> 413;
            case UPSTREAM_REJECTED -> 502;
            case UPSTREAM_UNAVAILABLE -> 503;
        };
    }
}

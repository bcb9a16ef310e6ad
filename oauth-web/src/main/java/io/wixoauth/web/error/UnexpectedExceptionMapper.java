package io.wixoauth.web.error;

import io.wixoauth.core.platform.DatabaseOutage;
import io.wixoauth.core.platform.Logs;
import io.wixoauth.web.handshake.InstallPages;
import io.wixoauth.web.http.RequestReference;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Anything no other mapper claims is a bug or an outage on our side: logged once with a reference id, answered with
 * that id and nothing internal.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logs.of(UnexpectedExceptionMapper.class);

    @Context
    ResourceInfo resource;

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(Throwable e) {
        return answer(e, RequestReference.of(request), ServiceExceptionMapper.isBrowserFacing(resource));
    }

    /** The JSON answer to an API caller outside JAX-RS (the webhook servlet), logged as every other. */
    public static Response forApi(Throwable e, String reference) {
        return answer(e, reference, false);
    }

    private static Response answer(Throwable e, String reference, boolean page) {
        if (DatabaseOutage.isCause(e)) {
            // An outage, not a bug: the caller may try again shortly, and nothing was half-written (transactions).
            LOG.log(Level.WARNING, "Database unavailable, reference {0}: {1}", new Object[]{reference, rootCause(e)});
            return unavailable(reference, page);
        }
        LOG.log(Level.SEVERE, "Unexpected failure, reference " + reference, e);
        if (page) {
            return Response.serverError().type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                    .entity(InstallPages.unexpected(reference)).build();
        }
        return ErrorResponses.response(500, "server_error",
                "The service could not complete the request. Reference: " + reference);
    }

    private static Response unavailable(String reference, boolean page) {
        Response.ResponseBuilder response = page
                ? Response.status(503).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                        .entity(InstallPages.unexpected(reference))
                : Response.fromResponse(ErrorResponses.response(503, "temporarily_unavailable",
                        "The service's database is unavailable; try again shortly. Reference: " + reference));
        return response.header("Retry-After", ServiceExceptionMapper.RETRY_AFTER_SECONDS).build();
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}

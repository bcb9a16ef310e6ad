package io.wixoauth.web.error;

import io.wixoauth.api.error.ServiceException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A business exception's message is written for the caller; its kind decides the status. */
@Provider
public class ServiceExceptionMapper implements ExceptionMapper<ServiceException> {

    /** Clients that honour it wait this long before asking again after a 503. */
    private static final String RETRY_AFTER_SECONDS = "5";

    @Override
    public Response toResponse(ServiceException e) {
        Response response = ErrorResponses.response(status(e), e.errorCode(), e.getMessage());
        return switch (e.kind()) {
            case UPSTREAM_UNAVAILABLE -> Response.fromResponse(response).header("Retry-After", RETRY_AFTER_SECONDS).build();
            default -> response;
        };
    }

    private static int status(ServiceException e) {
        return switch (e.kind()) {
            case INVALID_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case UPSTREAM_REJECTED -> 502;
            case UPSTREAM_UNAVAILABLE -> 503;
        };
    }
}

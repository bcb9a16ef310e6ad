package io.wixoauth.web.error;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import io.wixoauth.web.http.RequestReference;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A JSON body the binding provider could not read into the endpoint's type (not JSON, a string where a list
 * belongs): the caller's mistake, 400. Any other processing failure is the service's and answered as such.
 */
@Provider
public class UnreadableBodyExceptionMapper implements ExceptionMapper<ProcessingException> {

    @Context
    HttpServletRequest request;


    @Override
    public Response toResponse(ProcessingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonbException || cause instanceof JsonException) {
                return ErrorResponses.response(400, "invalid_request",
                        "The body is not a JSON object of the form this endpoint takes (see /openapi).");
            }
        }
        return UnexpectedExceptionMapper.forApi(e, RequestReference.of(request));
    }
}

package io.wixoauth.web.error;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Unknown paths, wrong methods, unauthenticated callers...: JAX-RS's own errors, in our JSON shape. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 401) {
            return Unauthorized.response(request.getAttribute(Unauthorized.REFUSED_TOKEN));
        }
        Response.ResponseBuilder response = Response.fromResponse(ErrorResponses.response(status));
        // Keep the headers the protocol needs (Allow on 405).
        for (String header : new String[]{"Allow"}) {
            if (e.getResponse().getHeaderString(header) != null) {
                response.header(header, e.getResponse().getHeaderString(header));
            }
        }
        return response.build();
    }
}

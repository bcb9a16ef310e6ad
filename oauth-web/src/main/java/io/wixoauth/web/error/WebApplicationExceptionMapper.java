package io.wixoauth.web.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Unknown paths, wrong methods, unauthenticated callers...: JAX-RS's own errors, in our JSON shape. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.ResponseBuilder response = Response.fromResponse(ErrorResponses.response(status));
        // Keep the headers the protocol needs (Allow on 405, WWW-Authenticate on 401).
        for (String header : new String[]{"Allow", "WWW-Authenticate"}) {
            if (e.getResponse().getHeaderString(header) != null) {
                response.header(header, e.getResponse().getHeaderString(header));
            }
        }
        if (status == 401 && e.getResponse().getHeaderString("WWW-Authenticate") == null) {
            response.header("WWW-Authenticate", "Bearer"); // RFC 6750 section 3
        }
        return response.build();
    }
}

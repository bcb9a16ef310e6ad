package io.wixoauth.web.error;

import io.wixoauth.api.Jsonp;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds the JSON error body every endpoint uses: {@code {"error": code, "error_description": text}}. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static JsonObject body(String error, String description) {
        return Jsonp.object().add("error", error).add("error_description", description).build();
    }

    public static Response response(int status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(error, description)).build();
    }

    /** The body for a status that needs no more explanation than its usual one (401, 403, 413...). */
    public static Response response(int status) {
        String[] error = forStatus(status);
        return response(status, error[0], error[1]);
    }

    /** A JAX-RS answer (status, headers, JSON entity) written to a servlet's response, for answers outside JAX-RS. */
    public static void write(jakarta.servlet.http.HttpServletResponse response, Response answer) throws java.io.IOException {
        response.setStatus(answer.getStatus());
        answer.getStringHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        if (answer.getEntity() != null) {
            response.getWriter().write(answer.getEntity().toString());
        }
    }

    /** The error code and a description for a status the container or JAX-RS produced without a business reason. */
    static String[] forStatus(int status) {
        return switch (status) {
            case 400 -> new String[]{"invalid_request", "The request is malformed."};
            case 401 -> new String[]{"unauthorized", "A valid bearer token is required."};
            case 403 -> new String[]{"forbidden", "The bearer token does not grant access to this resource."};
            case 404 -> new String[]{"not_found", "There is nothing at this address."};
            case 405 -> new String[]{"method_not_allowed", "This address does not accept that HTTP method."};
            case 406 -> new String[]{"not_acceptable", "This address answers only in application/json."};
            case 408 -> new String[]{"request_timeout", "The request did not arrive in time."};
            case 413 -> new String[]{"payload_too_large", "The request body is larger than this address accepts (64 KiB)."};
            case 415 -> new String[]{"unsupported_media_type", "This address does not accept that content type."};
            default -> status >= 500
                    ? new String[]{"server_error", "The service could not complete the request."}
                    : new String[]{"invalid_request", "The request was not accepted."};
        };
    }
}

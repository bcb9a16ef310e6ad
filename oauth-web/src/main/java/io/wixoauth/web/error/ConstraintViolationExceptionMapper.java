package io.wixoauth.web.error;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import io.wixoauth.web.http.RequestReference;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Bean Validation's verdict on a request (constraints on a body, a parameter or a value object), in our JSON shape:
 * 400 {@code invalid_request} naming each field that broke a rule, in a stable order. A violation from inside the
 * service (a return value) is not the caller's mistake, and is answered as any unexpected error.
 */
@Provider
public class ConstraintViolationExceptionMapper implements ExceptionMapper<ConstraintViolationException> {

    @Context
    HttpServletRequest request;


    @Override
    public Response toResponse(ConstraintViolationException e) {
        if (e.getConstraintViolations().stream().anyMatch(ConstraintViolationExceptionMapper::ofReturnValue)) {
            return UnexpectedExceptionMapper.forApi(e, RequestReference.of(request));
        }
        String description = e.getConstraintViolations().stream()
                .map(violation -> field(violation) + " " + violation.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return ErrorResponses.response(400, "invalid_request", description + ".");
    }

    private static boolean ofReturnValue(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** {@code url}, {@code eventTypes[2]}: the body's own names, without the Java method and parameter. */
    private static String field(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case PROPERTY -> names.add(node.getName());
                case CONTAINER_ELEMENT -> names.set(names.size() - 1, names.get(names.size() - 1) + "[" + node.getIndex() + "]");
                default -> { } // the method, the parameter: Java names a caller never sees
            }
        }
        return names.isEmpty() ? "the body" : String.join(".", names);
    }
}

package io.wixoauth.web;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes Payara's {@code /openapi} a document standard validators accept. Payara adds two things of its own: a
 * top-level {@code endpoints} map, which OpenAPI 3.0 does not allow, and a server at {@code http://localhost:8080/}
 * whatever the real address. Both are emptied, not removed: Payara copies them when it serves the document, and
 * leaves empty ones out. With no {@code servers}, a client uses the address it read the document from.
 *
 * <p>Every operation that needs a bearer token can also answer 401 and 403 in the shared error shape: added here
 * once rather than on each resource method.
 */
public class ApiDocumentFilter implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getSecurity() != null && !operation.getSecurity().isEmpty() && operation.getResponses() != null) {
            addIfAbsent(operation.getResponses(), "401", "Unauthorized");
            addIfAbsent(operation.getResponses(), "403", "Forbidden");
        }
        return operation;
    }

    private static void addIfAbsent(APIResponses responses, String status, String component) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(component));
        }
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.setServers(new ArrayList<>());
        try {
            openAPI.getClass().getMethod("setEndpoints", Map.class).invoke(openAPI, new TreeMap<String, Object>());
        } catch (ReflectiveOperationException e) {
            // Not Payara's model: nothing of its own to remove.
        }
    }
}

package io.wixoauth.web.security;

import io.wixoauth.web.error.ErrorResponses;
import io.wixoauth.web.error.Unauthorized;
import jakarta.annotation.Priority;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

import java.util.Arrays;

/**
 * Enforces {@code @RolesAllowed} on every resource method itself, failing closed. Payara enforces it too, but not
 * always: on Payara Server, an application that starts the persistent EJB timer service while it deploys had its
 * resources called with no principal at all. A second, independent check costs one role lookup per request.
 */
@Provider
public class RolesCheck implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        RolesAllowed roles = resource.getResourceMethod().isAnnotationPresent(RolesAllowed.class)
                ? resource.getResourceMethod().getAnnotation(RolesAllowed.class)
                : resource.getResourceClass().getAnnotation(RolesAllowed.class);
        if (roles != null) {
            context.register(new Required(roles.value()));
        }
    }

    @Priority(Priorities.AUTHORIZATION)
    private static final class Required implements ContainerRequestFilter {
        private final String[] roles;

        Required(String[] roles) {
            this.roles = roles.clone();
        }

        @Override
        public void filter(ContainerRequestContext request) {
            SecurityContext security = request.getSecurityContext();
            if (security.getUserPrincipal() == null) {
                request.abortWith(Unauthorized.response(request.getProperty(Unauthorized.REFUSED_TOKEN)));
            } else if (Arrays.stream(roles).noneMatch(security::isUserInRole)) {
                request.abortWith(ErrorResponses.response(403));
            }
        }
    }
}

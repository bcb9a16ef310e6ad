package io.wixoauth.web;

import io.wixoauth.web.admin.AppsResource;
import io.wixoauth.web.admin.AuditResource;
import io.wixoauth.web.admin.RetentionResource;
import io.wixoauth.web.admin.ImportsResource;
import io.wixoauth.web.admin.InstallationsResource;
import io.wixoauth.web.admin.JobsResource;
import io.wixoauth.web.admin.SubscriptionsResource;
import io.wixoauth.web.error.ConstraintViolationExceptionMapper;
import io.wixoauth.web.error.ServiceExceptionMapper;
import io.wixoauth.web.error.UnreadableBodyExceptionMapper;
import io.wixoauth.web.error.UnexpectedExceptionMapper;
import io.wixoauth.web.error.WebApplicationExceptionMapper;
import io.wixoauth.web.handshake.BrowserPageHeaders;
import io.wixoauth.web.handshake.InstallResource;
import io.wixoauth.web.http.BodyLimit;
import io.wixoauth.web.http.Roles;
import io.wixoauth.web.security.RolesCheck;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/**
 * The HTTP face of the service, at the context root. Backends authenticate with bearer tokens from the company's
 * identity provider, verified with MicroProfile JWT's settings ({@link io.wixoauth.web.security.BearerAuthentication});
 * the {@code groups} claim carries their roles.
 *
 * <p>Its resources and providers are listed rather than scanned: a scan also finds the Wix REST client's interface,
 * takes it for a resource and warns at every start that it "cannot be instantiated".
 */
@ApplicationScoped
@ApplicationPath("/")
@DeclareRoles({Roles.TOKEN_READER, Roles.WIX_CALLER, Roles.OAUTH_VIEWER, Roles.OAUTH_ADMIN, Roles.OAUTH_AUDITOR})
public class OAuthApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                InstallResource.class,
                InstallationsResource.class, JobsResource.class, ImportsResource.class, AuditResource.class, RetentionResource.class,
                SubscriptionsResource.class, AppsResource.class,
                RolesCheck.class, BodyLimit.class, BrowserPageHeaders.class,
                ServiceExceptionMapper.class, WebApplicationExceptionMapper.class, UnexpectedExceptionMapper.class,
                ConstraintViolationExceptionMapper.class, UnreadableBodyExceptionMapper.class);
    }
}

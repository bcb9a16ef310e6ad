package io.wixoauth.web;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The HTTP face of the service, at the context root. Backends authenticate with MicroProfile JWT bearer tokens
 * from the company's identity provider; the {@code groups} claim carries their roles. A CDI bean so that Payara's
 * MP-JWT extension, which looks for {@code @LoginConfig} among beans, finds it.
 */
@ApplicationScoped
@ApplicationPath("/")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({Roles.TOKEN_READER, Roles.OAUTH_VIEWER, Roles.OAUTH_ADMIN, Roles.OAUTH_AUDITOR})
public class OAuthApplication extends Application {
}

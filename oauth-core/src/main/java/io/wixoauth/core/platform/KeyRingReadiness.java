package io.wixoauth.core.platform;

import io.wixoauth.persistence.crypto.TokenEncryption;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only with a key ring: without it no refresh token can be read or stored. */
@Readiness
@ApplicationScoped
public class KeyRingReadiness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("token-encryption").status(TokenEncryption.isInstalled()).build();
    }
}

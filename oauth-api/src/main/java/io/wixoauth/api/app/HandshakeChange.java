package io.wixoauth.api.app;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Custom authentication switched on or off for an app (protocol section 2): off once its install base is on client
 * credentials, so its install link says installs need no redirect; on again with the Redirect URL registered for it
 * (required for an app added without one; the default app's is its setting).
 */
public record HandshakeChange(
        @NotNull(message = "must be true or false") Boolean handshake,
        @Size(max = 2048) @Pattern(regexp = "https?://[A-Za-z0-9.\\-\\[\\]:]+(/[^\\s#?]*)?",
                message = "must be an absolute http or https URL without query or fragment") String redirectUrl,
        @NotBlank @Size(max = 400) String reason) {
}

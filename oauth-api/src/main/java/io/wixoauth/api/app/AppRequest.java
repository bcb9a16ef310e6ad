package io.wixoauth.api.app;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * An app to add: its id and secret from its Wix dashboard (OAuth page), the public key its webhooks are signed with
 * (PEM, protocol section 6), the Redirect URL registered for it (its callback here, for custom authentication), and why.
 */
public record AppRequest(
        @NotBlank @Pattern(regexp = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
                message = "must be the app's id from the Wix dev center, a UUID") String appId,
        @NotBlank @Size(max = 500) @Pattern(regexp = "\\S+", message = "must be the secret alone, without spaces")
        String secret,
        @NotBlank @Size(max = 20000) String webhookPublicKeys,
        @Size(max = 2048) @Pattern(regexp = "https?://[A-Za-z0-9.\\-\\[\\]:]+(/[^\\s#?]*)?",
                message = "must be an absolute http or https URL without query or fragment") String redirectUrl,
        @NotBlank @Size(max = 400) String reason) {

    @Override
    public String toString() {
        return "AppRequest[appId=" + appId + ", secret=redacted, redirectUrl=" + redirectUrl + "]";
    }
}

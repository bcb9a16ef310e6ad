package io.wixoauth.api.relay;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A new subscription: where events go, which types ({@code ["*"]} for all), and why, for the audit trail. The URL is
 * absolute HTTP(S) without credentials in it: a receiver authenticates the service by the signature, not by a
 * password in the address.
 */
public record SubscriptionRequest(
        @NotBlank @Size(max = 2048)
        @Pattern(regexp = "https?://[A-Za-z0-9.\\-\\[\\]:]+(/[^\\s#]*)?", message = "must be an absolute http or https URL "
                + "without user information or fragment, such as https://backend.example.com/wix-events")
        String url,
        @NotEmpty @Size(max = 50)
        List<@NotNull @Pattern(regexp = "\\*|[A-Za-z][A-Za-z0-9_.\\-]{0,99}",
                message = "must be * or an event type such as wix.AppInstalled") String> eventTypes,
        @NotBlank @Size(max = 400)
        String reason) {
}

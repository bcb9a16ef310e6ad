package io.wixoauth.api.relay;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A new subscription: where events go, which types ({@code ["*"]} for all), of which apps ({@code appIds}, every app
 * when absent), and why, for the audit trail. The URL is
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
        String reason,
        @Size(max = 50)
        List<@NotNull @Pattern(regexp = "\\*|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
                message = "must be * or an app id (a UUID)") String> appIds) {

    /** The apps whose events the subscription takes: {@code ["*"]} (every app) when none are named. */
    public List<String> appsTaken() {
        return appIds == null || appIds.isEmpty() || appIds.contains("*") ? List.of("*")
                : appIds.stream().map(id -> id.toLowerCase(java.util.Locale.ROOT)).distinct().toList();
    }
}

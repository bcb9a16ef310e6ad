package io.wixoauth.api.admin;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Moves an app's install base off custom authentication: every installed refresh-token installation of {@code appId}
 * proven with one client-credentials call and switched to it ({@code dryRun}: proven and counted, nothing switched).
 */
public record MigrationRequest(@NotBlank @Size(max = 36) String appId, boolean dryRun,
                               @NotBlank @Size(max = 400) String reason) {
}

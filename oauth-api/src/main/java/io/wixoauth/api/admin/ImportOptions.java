package io.wixoauth.api.admin;

/**
 * How to import: why (for the audit trail), whether only to check the file, whether an imported refresh token
 * replaces a different one already stored, whether Wix must accept each token before it is stored, and the app the
 * installations are of ({@code appId}, null for the default app).
 */
public record ImportOptions(String reason, boolean dryRun, boolean replace, boolean verify, String appId) {
}

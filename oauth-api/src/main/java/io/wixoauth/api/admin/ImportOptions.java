package io.wixoauth.api.admin;

/**
 * How to import: why (for the audit trail), whether only to check the file, and whether an imported refresh token
 * replaces a different one already stored.
 */
public record ImportOptions(String reason, boolean dryRun, boolean replace) {
}

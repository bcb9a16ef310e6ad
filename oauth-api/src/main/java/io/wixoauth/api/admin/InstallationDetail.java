package io.wixoauth.api.admin;

import io.wixoauth.api.audit.AuditRecord;

import java.util.List;

/**
 * One installation in full: its stored refresh token only as a fingerprint (the first 8 bytes of its SHA-256) or why
 * it cannot be read, and its most recent history, newest first.
 */
public record InstallationDetail(InstallationSummary installation, String refreshTokenFingerprint,
                                 String refreshTokenStatus, List<AuditRecord> history) {
}

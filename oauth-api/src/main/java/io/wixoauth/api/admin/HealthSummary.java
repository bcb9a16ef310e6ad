package io.wixoauth.api.admin;

import java.util.Map;

/**
 * Is every install healthy? Counts by mode and state, fallbacks in the last hour and day, the installation that has
 * been waiting longest in a failed state (null when none is), Wix as the answering node saw it lately, and the audit
 * chain's last verification (null before the first).
 */
public record HealthSummary(Map<String, Long> byMode, Map<String, Long> byState, long failuresLastHour,
                            long failuresLastDay, InstallationSummary oldestUnresolvedFailure, WixHealth wix,
                            io.wixoauth.api.audit.LastVerification auditVerified) {
}

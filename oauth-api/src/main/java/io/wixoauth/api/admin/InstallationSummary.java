package io.wixoauth.api.admin;

import java.time.Instant;

/** An installation as operations see it. Never a secret. */
public record InstallationSummary(String instanceId, String appId, String mode, String state, String failureReason,
                                  String originInstanceId, String paidPlan, Instant installedAt, Instant updatedAt) {
}

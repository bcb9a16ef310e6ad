package io.wixoauth.api.admin;

import java.io.InputStream;

/**
 * Moves an app's existing install base in: one installation a line of NDJSON ({@code instanceId}, {@code refreshToken},
 * optional {@code installedAt}, {@code originInstanceId}, {@code paidPlan}). The file is read as it arrives, each
 * refresh token sealed as soon as it is read; a background job then applies the lines.
 */
public interface ImportService {

    /**
     * Reads the whole file. A dry run only checks and counts. Otherwise the valid lines are staged and an import job
     * started: an installation that has no record is created, one without a refresh token takes the imported one, one
     * with another keeps it unless {@code options.replace()} (each replacement audited), an uninstalled one is left
     * uninstalled. Bad lines are reported by number and skipped.
     *
     * @throws io.wixoauth.api.error.InvalidRequestException when no line is valid, or the file did not arrive whole
     * @throws io.wixoauth.api.error.JobAlreadyRunningException while another import runs
     */
    ImportReport receive(InputStream ndjson, ImportOptions options, String actor, String requestId);
}

package io.wixoauth.api.admin;

import java.util.List;

/**
 * What was read: the lines, how many are valid installations, and the first {@value #LISTED_ERRORS} bad ones by
 * number and reason (never a token). {@code job} is the import job that applies the valid lines; null for a dry run.
 */
public record ImportReport(long lines, long valid, long invalid, List<LineError> errors, JobView job, boolean dryRun) {

    public static final int LISTED_ERRORS = 100;

    /** A line that was skipped, and why. */
    public record LineError(long line, String reason) {
    }
}

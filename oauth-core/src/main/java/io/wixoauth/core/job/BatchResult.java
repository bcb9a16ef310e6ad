package io.wixoauth.core.job;

/** What one batch left the job in; only the batch that finished it announces the end, on whichever node it ran. */
public enum BatchResult {
    MORE,
    FINISHED,
    NOT_RUNNING
}

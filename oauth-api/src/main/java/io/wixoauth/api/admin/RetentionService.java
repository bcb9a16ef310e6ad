package io.wixoauth.api.admin;

/** Retention (issue 25): how long what the service stores is kept, what the next purge would remove, the purge. */
public interface RetentionService {

    /** What a purge started now would remove, per kind, without removing it. */
    RetentionPreview preview();

}

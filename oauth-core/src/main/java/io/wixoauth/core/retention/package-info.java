/**
 * Retention (issue 25): how long each kind of row is kept ({@code oauth.retention.*}), what the next purge would
 * remove, and the purge itself, a job like the others, in bounded batches.
 */
package io.wixoauth.core.retention;

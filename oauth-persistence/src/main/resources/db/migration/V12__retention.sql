-- Retention (issue 25): what the purge leaves of what it removes, and the indexes its bounded batches read by.

-- An uninstalled installation, once purged: its instance id and when it was uninstalled and removed, nothing secret.
-- Kept for oauth.retention.tombstones, so that a late import or a replayed webhook cannot bring the site back as if
-- it were new.
CREATE TABLE installation_tombstone (
    instance_id    VARCHAR(36)              NOT NULL PRIMARY KEY,
    uninstalled_at TIMESTAMP WITH TIME ZONE,
    removed_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX installation_tombstone_removed_at ON installation_tombstone (removed_at);

-- A segment of the audit chain written to a file under oauth.audit.archive-dir, then removed from audit_entry. The
-- first entry still held points back to last_hash: verification starts there, anchored by this row, whose seal (an
-- HMAC under the audit key) a database writer without the key cannot forge.
CREATE TABLE audit_archive (
    name            VARCHAR(200)             NOT NULL PRIMARY KEY,
    first_seq       BIGINT                   NOT NULL,
    last_seq        BIGINT                   NOT NULL UNIQUE,
    first_prev_hash VARCHAR(64)              NOT NULL,
    last_hash       VARCHAR(64)              NOT NULL,
    entries         BIGINT                   NOT NULL,
    file_sha256     VARCHAR(64)              NOT NULL,
    key_id          VARCHAR(32)              NOT NULL,
    seal            VARCHAR(64)              NOT NULL,
    archived_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX installation_uninstalled ON installation (state, uninstalled_at);
CREATE INDEX relay_delivery_event ON relay_delivery (event_seq);
CREATE INDEX relay_delivery_settled ON relay_delivery (state, last_attempt_at);
CREATE INDEX background_job_finished_at ON background_job (finished_at);
CREATE INDEX audit_entry_occurred_at ON audit_entry (occurred_at);

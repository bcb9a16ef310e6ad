-- An import of an existing install base: its lines are staged here as the file streams in (the refresh token sealed
-- as in installation.refresh_token), then applied by the import job batch by batch. An applied line is deleted in the
-- same transaction, so a job resumes where it stopped, on whichever node runs it.
CREATE TABLE import_line (
    job_id             VARCHAR(36)              NOT NULL,
    line_no            BIGINT                   NOT NULL,
    instance_id        VARCHAR(36)              NOT NULL,
    refresh_token      VARCHAR(2048)            NOT NULL,
    installed_at       TIMESTAMP WITH TIME ZONE,
    origin_instance_id VARCHAR(36),
    paid_plan          VARCHAR(400),
    replace_existing   BOOLEAN                  NOT NULL,
    verify             BOOLEAN                  NOT NULL,
    staged_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job_id, line_no)
);

CREATE INDEX import_line_staged_at ON import_line (staged_at);

-- What a job did beyond its counts, for operators (an import: created, replaced, kept, skipped).
ALTER TABLE background_job ADD COLUMN detail VARCHAR(400);

-- Long-running operator jobs (re-encryption after a key rotation). Progress is committed batch by batch, so a job
-- survives a restart and resumes after last_instance_id.
CREATE TABLE background_job (
    id                VARCHAR(36)              NOT NULL PRIMARY KEY,
    kind              VARCHAR(40)              NOT NULL,
    state             VARCHAR(20)              NOT NULL,
    total             BIGINT                   NOT NULL,
    done              BIGINT                   NOT NULL,
    errors            BIGINT                   NOT NULL,
    last_instance_id  VARCHAR(36),
    requested_by      VARCHAR(200)             NOT NULL,
    reason            VARCHAR(400)             NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at       TIMESTAMP WITH TIME ZONE,
    version           BIGINT                   NOT NULL
);

CREATE INDEX background_job_state ON background_job (state);

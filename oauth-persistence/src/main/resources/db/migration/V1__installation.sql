-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 13+.
CREATE TABLE installation (
    instance_id  VARCHAR(36)              NOT NULL PRIMARY KEY,
    app_id       VARCHAR(36)              NOT NULL,
    mode         VARCHAR(40)              NOT NULL,
    state        VARCHAR(40)              NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    version      BIGINT                   NOT NULL
);

CREATE INDEX installation_mode_state ON installation (mode, state);

-- At most one running job of each kind (two bulk refreshes at once would double the calls to Wix). running_kind is
-- the kind while the job runs and NULL after; a unique index on it refuses a second one, whichever node starts it.
-- Both databases let a unique index hold any number of NULLs.
ALTER TABLE background_job ADD COLUMN running_kind VARCHAR(40);

UPDATE background_job SET running_kind = kind
WHERE state = 'RUNNING' AND NOT EXISTS (
    SELECT 1 FROM background_job newer
    WHERE newer.kind = background_job.kind AND newer.state = 'RUNNING' AND newer.created_at > background_job.created_at);

CREATE UNIQUE INDEX background_job_running_kind ON background_job (running_kind);

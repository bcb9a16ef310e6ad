-- An import is of one app (issue 23): each staged line names it. NULL for a line staged before this version, which is
-- the default app's.
ALTER TABLE import_line ADD COLUMN app_id VARCHAR(36);

-- The app a shared access token is of (issue 23): a node that reads another node's token serves it only as that app's.
-- NULL for a token shared before this version, which is the default app's.
ALTER TABLE shared_access_token ADD COLUMN app_id VARCHAR(36);

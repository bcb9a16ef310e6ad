-- Moving an app off custom authentication (issue 23): an installation switched to client credentials by the migration
-- job keeps its sealed refresh token until refresh_token_kept_until, so that it can be switched back; the purge then
-- forgets the token. NULL for every installation the migration did not switch.
ALTER TABLE installation ADD COLUMN refresh_token_kept_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX installation_kept_until ON installation (refresh_token_kept_until);
CREATE INDEX installation_app_mode ON installation (app_id, mode, instance_id);

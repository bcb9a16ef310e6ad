-- Subscriptions may take the events of some apps only (issue 23): app_ids is ',*,' for every app, or ',<id>,<id>,'.
-- An event records the app it is of (NULL: of none, delivered to every subscription its type matches).
ALTER TABLE relay_subscription ADD COLUMN app_ids VARCHAR(2000) DEFAULT ',*,' NOT NULL;
ALTER TABLE relay_event ADD COLUMN app_id VARCHAR(36);

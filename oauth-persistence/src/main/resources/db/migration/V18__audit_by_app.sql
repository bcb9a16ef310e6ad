-- The Wix app an audit entry concerns (issue 23): an install, a webhook, a token read or an admin action of one app's
-- installation, a change to an app. NULL for what concerns no one app, and for every entry before this version (the
-- hash covers the app only when there is one, so their hashes still hold). Filtered by app in chain order.
ALTER TABLE audit_entry ADD COLUMN app_id VARCHAR(36);
CREATE INDEX audit_entry_app ON audit_entry (app_id, seq);

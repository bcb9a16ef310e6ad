-- The handshake switched off for an app (issue 23: the way off custom authentication), the default app included. The
-- default app's row may now exist for that alone: its secret then stays the setting's (NULL here, and no secret change
-- recorded) until an operator changes it through the admin API.
ALTER TABLE wix_app ALTER COLUMN secret DROP NOT NULL;
ALTER TABLE wix_app ALTER COLUMN secret_changed_at DROP NOT NULL;
ALTER TABLE wix_app ALTER COLUMN secret_changed_by DROP NOT NULL;

-- Advanced OAuth: the encrypted refresh token (v1:<kid>:<instanceId>:<nonce>:<ciphertext>, never plain text),
-- why an installation fell back, and the event times that make webhooks order-safe.
ALTER TABLE installation ADD COLUMN refresh_token VARCHAR(2048);
ALTER TABLE installation ADD COLUMN failure_reason VARCHAR(400);
ALTER TABLE installation ADD COLUMN origin_instance_id VARCHAR(36);
ALTER TABLE installation ADD COLUMN installed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE installation ADD COLUMN uninstalled_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE installation ADD COLUMN paid_plan VARCHAR(400);

-- The CSRF state of an install in progress, stored only as a SHA-256 hash; single-use, 10 minutes.
CREATE TABLE oauth_state (
    state_hash  VARCHAR(64)              NOT NULL PRIMARY KEY,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE
);

CREATE INDEX oauth_state_expires_at ON oauth_state (expires_at);

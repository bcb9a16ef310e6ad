-- The operations console's sessions (issue 24): one row per person signed in through the company's identity provider,
-- so every node knows a session and a logout ends it everywhere. Only a sign-in the identity provider confirmed writes
-- one (anonymous traffic stores nothing); a row leaves at logout, or once it is idle or past its absolute lifetime
-- (retention kind consoleSessions). The database holds the SHA-256 of the cookie, never a usable session.
CREATE TABLE console_session (
    id_hash      VARCHAR(64)              NOT NULL PRIMARY KEY,
    username     VARCHAR(200)             NOT NULL,
    display_name VARCHAR(200)             NOT NULL,
    group_names  VARCHAR(1000)            NOT NULL,
    csrf_token   VARCHAR(64)              NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX console_session_expiry ON console_session (expires_at);
CREATE INDEX console_session_last_seen ON console_session (last_seen_at);

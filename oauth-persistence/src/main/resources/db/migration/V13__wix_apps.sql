-- Several Wix apps in one deployment (issue 23). The default app is configured by wix.app-id and wix.app-secret; its
-- row here exists only once an operator changed its secret through the admin API, and then overrides the setting.
-- Every other app is a row: added and removed by operators only, so the table grows with the number of apps, never
-- with traffic, and a row leaves when its app is removed.
CREATE TABLE wix_app (
    app_id              VARCHAR(36)              NOT NULL PRIMARY KEY,
    secret              VARCHAR(2048)            NOT NULL, -- sealed like a refresh token, for this app id
    webhook_public_keys VARCHAR(20000),                    -- PEM; NULL for the default app (its setting)
    redirect_url        VARCHAR(2048),                     -- NULL for the default app (its setting)
    handshake           BOOLEAN                  NOT NULL,
    added_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    added_by            VARCHAR(200)             NOT NULL,
    secret_changed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    secret_changed_by   VARCHAR(200)             NOT NULL
);

CREATE INDEX installation_app_state ON installation (app_id, state);

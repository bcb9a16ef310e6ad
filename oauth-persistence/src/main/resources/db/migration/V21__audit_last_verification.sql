-- The audit chain's last verification (issue 24: the console's overview shows it): one row, replaced by each one.
-- Each verification is also an audit entry (audit.verified), so the history of who verified when is in the trail.
CREATE TABLE audit_verification (
    id              INTEGER                  NOT NULL PRIMARY KEY,
    verified_at     TIMESTAMP WITH TIME ZONE,
    verified_by     VARCHAR(200),
    intact          BOOLEAN,
    entries_checked BIGINT,
    problem         VARCHAR(400)
);

INSERT INTO audit_verification (id) VALUES (1);

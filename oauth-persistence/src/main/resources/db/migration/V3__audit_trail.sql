-- The audit trail: append-only, each entry chained to the previous one by a SHA-256 hash.
CREATE TABLE audit_entry (
    seq          BIGINT                   NOT NULL PRIMARY KEY,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    action       VARCHAR(60)              NOT NULL,
    actor        VARCHAR(200)             NOT NULL,
    instance_id  VARCHAR(36),
    outcome      VARCHAR(40)              NOT NULL,
    reason       VARCHAR(400),
    request_id   VARCHAR(80),
    details      VARCHAR(1000),
    prev_hash    VARCHAR(64)              NOT NULL,
    hash         VARCHAR(64)              NOT NULL
);

CREATE INDEX audit_entry_instance ON audit_entry (instance_id, seq);
CREATE INDEX audit_entry_actor ON audit_entry (actor, seq);
CREATE INDEX audit_entry_occurred ON audit_entry (occurred_at);

-- The end of the chain: one row, locked by every writer, so entries get consecutive numbers on every node.
CREATE TABLE audit_head (
    id         INTEGER     NOT NULL PRIMARY KEY,
    last_seq   BIGINT      NOT NULL,
    last_hash  VARCHAR(64) NOT NULL
);

INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

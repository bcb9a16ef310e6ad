-- The Wix API proxy's per-instance budget of calls, shared by every node (protocol section 0: about 200 calls a minute
-- per instance). One row per instance ever called through the proxy: the calls taken in the current clock minute
-- (nodes take them in small blocks, so a call rarely writes here) and, after Wix answered 429, the moment until which
-- no node calls Wix for the instance. Times as epoch numbers: compared, never displayed.
CREATE TABLE wix_call_budget (
    instance_id        VARCHAR(36) NOT NULL PRIMARY KEY,
    minute_epoch       BIGINT      NOT NULL,
    used               INTEGER     NOT NULL,
    blocked_until_ms   BIGINT      NOT NULL,
    CONSTRAINT wix_call_budget_used_not_negative CHECK (used >= 0)
);

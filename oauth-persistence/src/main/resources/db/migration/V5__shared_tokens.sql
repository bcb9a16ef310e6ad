-- Access tokens shared between the nodes of a cluster, sealed like refresh tokens, and the lease that lets exactly
-- one node at a time fetch a new one for an instance. The lease is held only for short writes, never during a call
-- to Wix; a node that dies leaves a lease that simply runs out.
CREATE TABLE shared_access_token (
    instance_id   VARCHAR(36)              NOT NULL PRIMARY KEY,
    token         VARCHAR(2048),
    source        VARCHAR(40),
    expires_at    TIMESTAMP WITH TIME ZONE,
    lease_holder  VARCHAR(64),
    lease_until   TIMESTAMP WITH TIME ZONE
);

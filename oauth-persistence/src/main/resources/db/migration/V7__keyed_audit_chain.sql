-- From now on each audit entry's hash is an HMAC-SHA256 under a key that is not in the database (oauth.audit.keys):
-- whoever can write these tables cannot recompute the chain. key_id names the key; NULL marks the plain SHA-256
-- entries written before, which stay verifiable and are protected by the first keyed entry that follows them.
ALTER TABLE audit_entry ADD COLUMN key_id VARCHAR(32);

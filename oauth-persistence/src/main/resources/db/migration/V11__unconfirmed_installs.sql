-- An installation that a site owner's browser claimed in an install callback, but that Wix has not confirmed (the
-- callback could not reach Wix): kept until the handshake's state expires, then swept, unless Wix confirms the
-- instance first (a client-credentials token for it, or a verified AppInstalled webhook). NULL once confirmed, and for
-- every installation Wix told the service of.
ALTER TABLE installation ADD COLUMN unconfirmed_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX installation_unconfirmed_until ON installation (unconfirmed_until);

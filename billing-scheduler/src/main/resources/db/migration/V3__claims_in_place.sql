-- Claiming a timer sets claimed_by and claim_expires, columns no index names: with room left on
-- each page that update is HOT (no index entries written). Applies to pages written from now on.
ALTER TABLE timer SET (fillfactor = 80);

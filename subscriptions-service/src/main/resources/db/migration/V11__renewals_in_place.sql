-- A renewal rewrites every subscription row once a period. With room left on each page PostgreSQL
-- can write the new version beside the old one without touching the indexes (a HOT update: neither
-- the id nor the account id changes). Applies to pages written from now on.
ALTER TABLE subscription SET (fillfactor = 80);

-- A debit changes a bucket's remaining credits. The live-bucket index used to name `remaining` in
-- its predicate, so PostgreSQL could never update a bucket in place (HOT): every debit wrote new
-- entries into the bucket's indexes, which bloated under load. The predicate now reads a stored
-- column that changes only when a bucket empties or refills, and pages keep room for in-place updates.
ALTER TABLE credit_bucket ADD COLUMN live BOOLEAN GENERATED ALWAYS AS (remaining > 0) STORED;
DROP INDEX credit_bucket_live;
CREATE INDEX credit_bucket_live ON credit_bucket (account_id) WHERE live;
ALTER TABLE credit_bucket SET (fillfactor = 70);

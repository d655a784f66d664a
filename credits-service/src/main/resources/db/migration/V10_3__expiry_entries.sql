-- An expiry is an entry at the instant its bucket expires (its effective instant), written when a
-- sweep or the next locked change of the account finds the bucket due. created_at stays the instant
-- the entry was written; effective_at is set where the two differ (NULL: it took effect when written).
ALTER TABLE ledger_entry ADD COLUMN effective_at TIMESTAMPTZ;
-- The expiry sweep finds due buckets soonest first; expires_at and live change only when a bucket is
-- created, empties or refills, so debits still update buckets in place (see V8).
CREATE INDEX credit_bucket_due ON credit_bucket (expires_at) WHERE live AND expires_at IS NOT NULL;

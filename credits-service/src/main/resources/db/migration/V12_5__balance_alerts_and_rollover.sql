-- Capped rollover (docs/rules.md, Rollover): the plan's setting, copied from the subscription's latest
-- event like the other terms, is read when the period's SUBSCRIPTION credits expire; what rolls over
-- lands in a bucket of kind ROLLOVER through a ROLLOVER entry (out of the subscription bucket) and a GRANT.
ALTER TABLE credit_account ADD COLUMN rollover_max_credits BIGINT;
ALTER TABLE credit_account ADD COLUMN rollover_max_percent INT;
ALTER TABLE credit_account ADD COLUMN rollover_expires_after_days INT;
-- NOT VALID: the rows already there satisfy the narrower checks these replace; no scan of the ledger.
ALTER TABLE credit_bucket DROP CONSTRAINT credit_bucket_kind_check;
ALTER TABLE credit_bucket ADD CONSTRAINT credit_bucket_kind_check
    CHECK (kind IN ('DAILY', 'SUBSCRIPTION', 'PROMO', 'TOPUP', 'ROLLOVER')) NOT VALID;
ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_kind_check;
ALTER TABLE ledger_entry ADD CONSTRAINT ledger_entry_kind_check
    CHECK (kind IN ('GRANT', 'DEBIT', 'FORFEIT', 'EXPIRE', 'REVERSAL', 'ADJUSTMENT', 'ROLLOVER')) NOT VALID;

-- Balance and overage alerts (docs/rules.md, Balance alerts): an account's thresholds and whether the
-- balance is below each (tripped; for OVERAGE: the open overage passed it). The DEFAULT row keeps the
-- default threshold's state for an account that set none; it is written the first time it trips.
-- Read with the account's ledger under its lock; a row changes only when its state flips.
CREATE TABLE balance_alert (
    account_id  TEXT        NOT NULL REFERENCES credit_account (account_id),
    alert_id    TEXT        NOT NULL,
    kind        TEXT        NOT NULL CHECK (kind IN ('CREDITS', 'PERCENT_OF_GRANT', 'OVERAGE', 'DEFAULT')),
    value       BIGINT      NOT NULL CHECK (value > 0),
    tripped     BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, alert_id)
);

-- The billing period and credit grant of the account's subscription, from its latest event, so a
-- credit-period.ended command (a yearly plan granting monthly) can be checked against the period
-- it names and grant the right amount. A month's grant is made once (unique reference).
ALTER TABLE credit_account ADD COLUMN period_start       TIMESTAMPTZ;
ALTER TABLE credit_account ADD COLUMN period_end         TIMESTAMPTZ;
ALTER TABLE credit_account ADD COLUMN credits_per_period BIGINT NOT NULL DEFAULT 0;
ALTER TABLE credit_account ADD COLUMN credit_period      TEXT;
CREATE UNIQUE INDEX ledger_entry_credit_period_once ON ledger_entry (reference)
    WHERE kind = 'GRANT' AND bucket = 'SUBSCRIPTION' AND reference LIKE 'credit-period:%';

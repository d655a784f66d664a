-- Billing in arrears. A subscription keeps what it owes in arrears and has not been invoiced for
-- (the accrual: parts of earlier plans, where the plan in force was last invoiced to, the last
-- period invoiced; null: nothing, as on plans billed in advance). The usage close computes each
-- period's invoice once (one row per subscription and period: a repeated or late command finds it),
-- its lines are charge lines tied to it, COMPUTED until the billing date collects them, once.
ALTER TABLE subscription ADD COLUMN accrual JSONB;

CREATE TABLE invoice (
    id                  UUID        PRIMARY KEY,
    account_id          TEXT        NOT NULL,
    subscription_id     UUID        NOT NULL,
    period_start        TIMESTAMPTZ NOT NULL,
    period_end          TIMESTAMPTZ NOT NULL,
    currency            TEXT        NOT NULL,
    status              TEXT        NOT NULL CHECK (status IN ('COMPUTED', 'COLLECTED', 'UNPAID')),
    computed_at         TIMESTAMPTZ NOT NULL,
    collected_at        TIMESTAMPTZ,
    balance_used_minor  BIGINT,
    paid_minor          BIGINT,
    payment_ref         TEXT,
    UNIQUE (subscription_id, period_end)
);
CREATE INDEX invoice_account ON invoice (account_id, period_end DESC);

-- COMPUTED, COLLECTED or UNPAID for a line of an invoice in arrears; null for a line billed when it was made
ALTER TABLE charge ADD COLUMN invoice_id UUID REFERENCES invoice (id);
ALTER TABLE charge ADD COLUMN status TEXT;
CREATE INDEX charge_invoice ON charge (invoice_id) WHERE invoice_id IS NOT NULL;

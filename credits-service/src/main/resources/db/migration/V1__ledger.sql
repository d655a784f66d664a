-- An account's credit terms (copied from its subscription events) and the day of its live DAILY bucket.
CREATE TABLE credit_account (
    account_id                TEXT        PRIMARY KEY,
    overage_mode              TEXT        NOT NULL DEFAULT 'BLOCK',
    overage_unit_price_minor  BIGINT      NOT NULL DEFAULT 0,
    overage_unit_credits      BIGINT      NOT NULL DEFAULT 1,
    overage_currency          TEXT,
    daily_credits             BIGINT      NOT NULL DEFAULT 0,
    daily_day                 DATE,
    subscription_revision     BIGINT      NOT NULL DEFAULT -1,
    updated_at                TIMESTAMPTZ NOT NULL
);

-- A bucket of credits of one kind; remaining is always the sum of its ledger entries.
CREATE TABLE credit_bucket (
    id          BIGSERIAL   PRIMARY KEY,
    account_id  TEXT        NOT NULL REFERENCES credit_account (account_id),
    kind        TEXT        NOT NULL CHECK (kind IN ('DAILY', 'SUBSCRIPTION', 'PROMO', 'TOPUP')),
    remaining   BIGINT      NOT NULL CHECK (remaining >= 0),
    expires_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_bucket_live ON credit_bucket (account_id) WHERE remaining > 0;

-- The append-only ledger: every change of a balance, with its reason and what caused it.
CREATE TABLE ledger_entry (
    id          BIGSERIAL   PRIMARY KEY,
    account_id  TEXT        NOT NULL,
    bucket_id   BIGINT      NOT NULL REFERENCES credit_bucket (id),
    bucket      TEXT        NOT NULL,
    kind        TEXT        NOT NULL CHECK (kind IN ('GRANT', 'DEBIT', 'FORFEIT', 'EXPIRE', 'REVERSAL', 'ADJUSTMENT')),
    amount      BIGINT      NOT NULL,
    reason      TEXT        NOT NULL,
    reference   TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ledger_entry_account ON ledger_entry (account_id, id DESC);
CREATE INDEX ledger_entry_bucket ON ledger_entry (bucket_id);
-- A purchase is granted once, whatever redelivers it.
CREATE UNIQUE INDEX ledger_entry_topup_once ON ledger_entry (reference) WHERE kind = 'GRANT' AND bucket = 'TOPUP';

-- Debits beyond the balance on BILL plans, billed at cycle end.
CREATE TABLE overage_usage (
    id          BIGSERIAL   PRIMARY KEY,
    account_id  TEXT        NOT NULL,
    credits     BIGINT      NOT NULL CHECK (credits > 0),
    reference   TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX overage_usage_account ON overage_usage (account_id, created_at);

-- Lots taken back (docs/rules.md, Lots): an admin's void, a refunded or disputed top-up's claw back.
-- Their credits leave by VOID and CLAWBACK entries; this row keeps what the entries cannot say: whether
-- the lot is closed (never spent or refilled again), what its refunds claim and what is owed (shortfall).
ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_kind_check;
ALTER TABLE ledger_entry ADD CONSTRAINT ledger_entry_kind_check
    CHECK (kind IN ('GRANT', 'DEBIT', 'FORFEIT', 'EXPIRE', 'REVERSAL', 'ADJUSTMENT', 'ROLLOVER', 'VOID', 'CLAWBACK')) NOT VALID;

CREATE TABLE credit_lot_takeback (
    bucket_id    BIGINT      PRIMARY KEY REFERENCES credit_bucket (id),
    account_id   TEXT        NOT NULL,
    closed       BOOLEAN     NOT NULL,
    claimed      BIGINT      NOT NULL CHECK (claimed >= 0),
    taken_back   BIGINT      NOT NULL CHECK (taken_back >= 0),
    shortfall    BIGINT      NOT NULL CHECK (shortfall >= 0),
    cause        TEXT        CHECK (cause IN ('VOID', 'REFUND', 'DISPUTE')),
    reason       TEXT,
    acted_by     TEXT,
    closed_at    TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_lot_takeback_account ON credit_lot_takeback (account_id);
-- past lots are listed newest first
CREATE INDEX credit_bucket_account_id ON credit_bucket (account_id, id DESC);

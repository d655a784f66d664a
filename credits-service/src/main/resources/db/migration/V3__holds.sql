-- Reservations before long work (a render). A hold is not a ledger entry: it lowers what may be
-- spent until it is captured (then the capture is an ordinary debit), released, or expires.
CREATE TABLE credit_hold (
    id          UUID        PRIMARY KEY,
    account_id  TEXT        NOT NULL REFERENCES credit_account (account_id),
    credits     BIGINT      NOT NULL CHECK (credits > 0),
    status      TEXT        NOT NULL CHECK (status IN ('OPEN', 'CAPTURED', 'RELEASED')),
    captured    BIGINT      NOT NULL DEFAULT 0,
    reason      TEXT        NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_hold_open ON credit_hold (account_id) WHERE status = 'OPEN';

-- Auto top-ups credits-service asked for (credits.auto-topup-requested), recorded once by request id
-- and paid off-session with the idempotency key auto-topup:<request_id>, retried (same key) until the
-- gateway answers or tally.auto-topup.give-up-after passes. SETTLED writes topup_purchase (id = request_id).
CREATE TABLE auto_topup_payment (
    request_id      uuid        PRIMARY KEY,
    account_id      text        NOT NULL,
    pack_code       text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('PENDING', 'SETTLED', 'FAILED')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    requested_at    timestamptz NOT NULL,
    payment_ref     text,
    failure_code    text,
    finished_at     timestamptz
);
CREATE INDEX auto_topup_payment_due ON auto_topup_payment (next_attempt_at) WHERE status = 'PENDING';

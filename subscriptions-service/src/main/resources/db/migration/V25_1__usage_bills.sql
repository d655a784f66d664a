-- Overage billed at once (a plan billed in advance): recorded PENDING in the usage.closed event's
-- transaction, paid with no transaction open under the key usage:<subscription>:<period end>, then
-- BILLED with its charge line in one short transaction. A crash in between leaves it PENDING and
-- due: it is paid again with the same key (the gateway answers with the first payment) and charged
-- once. A refused payment (402) is FAILED with its code, and no line is written.
CREATE TABLE usage_bill (
    payment_key      text        PRIMARY KEY,
    account_id       text        NOT NULL,
    subscription_id  uuid        NOT NULL,
    description      text        NOT NULL,
    period_start     timestamptz,
    period_end       timestamptz NOT NULL,
    amount_minor     bigint      NOT NULL,
    currency         text        NOT NULL,
    closed_at        timestamptz,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'BILLED', 'FAILED')),
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    payment_ref      text,
    failure_code     text,
    finished_at      timestamptz
);
CREATE INDEX usage_bill_due ON usage_bill (next_attempt_at) WHERE status = 'PENDING';

-- Credit-pack purchases (settled by the payment gateway before credits-service hears of them)
-- and requests to move to a plan sold through sales.
CREATE TABLE topup_purchase (
    id            UUID        PRIMARY KEY,
    account_id    TEXT        NOT NULL,
    pack_code     TEXT        NOT NULL,
    credits       BIGINT      NOT NULL,
    amount_minor  BIGINT      NOT NULL,
    currency      TEXT        NOT NULL,
    payment_ref   TEXT        NOT NULL,
    settled_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sales_inquiry (
    id             UUID        PRIMARY KEY,
    account_id     TEXT        NOT NULL,
    plan_code      TEXT        NOT NULL,
    contact_email  TEXT        NOT NULL,
    message        TEXT,
    received_at    TIMESTAMPTZ NOT NULL
);

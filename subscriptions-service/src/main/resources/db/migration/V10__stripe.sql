-- Stripe links: one customer per account (created once), the Stripe subscription that bills an
-- account's plan, checkout sessions waiting for Stripe's confirmation, and every webhook event
-- id applied (a repeat does nothing).
CREATE TABLE stripe_customer (
    account_id   TEXT        PRIMARY KEY,
    customer_id  TEXT        NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE stripe_subscription (
    account_id          TEXT        PRIMARY KEY,
    subscription_id     TEXT        NOT NULL UNIQUE,
    item_id             TEXT,
    price_id            TEXT,
    status              TEXT        NOT NULL,
    cancel_at_period_end BOOLEAN    NOT NULL DEFAULT FALSE,
    last_event_created  BIGINT      NOT NULL DEFAULT 0,
    past_due_since      TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE checkout_session (
    id            TEXT        PRIMARY KEY,
    account_id    TEXT        NOT NULL,
    kind          TEXT        NOT NULL CHECK (kind IN ('TOPUP', 'PLAN')),
    target        TEXT        NOT NULL,
    interval      TEXT,
    url           TEXT,
    status        TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    completed_at  TIMESTAMPTZ
);
CREATE INDEX checkout_session_account ON checkout_session (account_id);

CREATE TABLE stripe_event (
    id           TEXT        PRIMARY KEY,
    type         TEXT        NOT NULL,
    created      BIGINT      NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL
);

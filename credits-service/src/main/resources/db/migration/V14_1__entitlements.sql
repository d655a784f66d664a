-- The entitlement check's projection: the plan side of each account's subscription as its latest
-- applied event set it (features, seats, the period and what is pending at its end), written in the
-- transaction that applies the event, so the check reads one row and calls nobody.
CREATE TABLE entitlement (
    account_id            TEXT        PRIMARY KEY,
    subscription_id       UUID        NOT NULL,
    plan_code             TEXT        NOT NULL,
    plan_version          INT         NOT NULL,
    features              TEXT[]      NOT NULL,
    seats                 INT         NOT NULL,
    billing_mode          TEXT        NOT NULL,
    period_start          TIMESTAMPTZ NOT NULL,
    period_end            TIMESTAMPTZ NOT NULL,
    pending_plan_code     TEXT,
    pending_effective_at  TIMESTAMPTZ,
    cancel_at_period_end  BOOLEAN     NOT NULL,
    revision              BIGINT      NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
-- usage so far reads whether its account's period was closed
CREATE INDEX usage_close_account ON usage_close (account_id, period_end);

-- One subscription per account: the plan version it bought and its current period [start, end).
CREATE TABLE subscription (
    id                    UUID        PRIMARY KEY,
    account_id            TEXT        NOT NULL UNIQUE,
    plan_code             TEXT        NOT NULL,
    plan_version          INT         NOT NULL,
    billing_interval      TEXT        NOT NULL,
    status                TEXT        NOT NULL,
    period_anchor         TIMESTAMPTZ NOT NULL,
    period_start          TIMESTAMPTZ NOT NULL,
    period_end            TIMESTAMPTZ NOT NULL,
    cancel_at_period_end  BOOLEAN     NOT NULL DEFAULT FALSE,
    revision              BIGINT      NOT NULL DEFAULT 0,
    created_at            TIMESTAMPTZ NOT NULL
);

-- Overage is closed once per billing period, a lead time before the billing date; usage after the
-- close stays open and goes to the next period.
ALTER TABLE overage_usage ADD COLUMN closed_for_period_end TIMESTAMPTZ;
CREATE INDEX overage_usage_open ON overage_usage (account_id) WHERE closed_for_period_end IS NULL;

CREATE TABLE usage_close (
    subscription_id  UUID        NOT NULL,
    period_end       TIMESTAMPTZ NOT NULL,
    account_id       TEXT        NOT NULL,
    overage_credits  BIGINT      NOT NULL,
    amount_minor     BIGINT      NOT NULL,
    currency         TEXT,
    closed_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscription_id, period_end)
);

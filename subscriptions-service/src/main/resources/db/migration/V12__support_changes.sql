-- Who made a change for the account (support: an admin's subject) and why, on its charge lines and
-- in the subscription's history (one row per plan change made or scheduled; null acted_by: the
-- account itself, the product's backend, or the payment provider).
ALTER TABLE charge ADD COLUMN acted_by TEXT;
ALTER TABLE charge ADD COLUMN reason TEXT;

CREATE TABLE subscription_history (
    id               BIGSERIAL   PRIMARY KEY,
    account_id       TEXT        NOT NULL,
    subscription_id  UUID        NOT NULL,
    revision         BIGINT      NOT NULL,
    kind             TEXT        NOT NULL,
    from_plan        TEXT        NOT NULL,
    to_plan          TEXT        NOT NULL,
    to_interval      TEXT        NOT NULL,
    timing           TEXT        NOT NULL,
    acted_by         TEXT,
    reason           TEXT,
    recorded_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX subscription_history_account ON subscription_history (account_id, id DESC);

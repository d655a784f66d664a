-- The one pending change, the customer balance (credit we owe the account), charges and previews.
ALTER TABLE subscription ADD COLUMN pending_change JSONB;
ALTER TABLE subscription ADD COLUMN customer_balance_minor BIGINT NOT NULL DEFAULT 0 CHECK (customer_balance_minor >= 0);

CREATE TABLE charge (
    id               BIGSERIAL   PRIMARY KEY,
    account_id       TEXT        NOT NULL,
    subscription_id  UUID        NOT NULL,
    description      TEXT        NOT NULL,
    period_start     TIMESTAMPTZ,
    period_end       TIMESTAMPTZ,
    amount_minor     BIGINT      NOT NULL,
    currency         TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX charge_account ON charge (account_id, id DESC);

CREATE TABLE change_preview (
    id                UUID        PRIMARY KEY,
    account_id        TEXT        NOT NULL,
    based_on_revision BIGINT      NOT NULL,
    preview           JSONB       NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL
);

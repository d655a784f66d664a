-- The customer balance keeps its currency; charge lines keep what kind of line they are and the
-- payment that settled them; accounts may leave an address for billing emails, which are queued
-- in the same transaction as the change they confirm and sent afterwards (never lost, never twice).
ALTER TABLE subscription ADD COLUMN customer_balance_currency TEXT NOT NULL DEFAULT 'USD';
ALTER TABLE charge ADD COLUMN kind TEXT;
ALTER TABLE charge ADD COLUMN payment_ref TEXT;

CREATE TABLE account_contact (
    account_id  TEXT        PRIMARY KEY,
    email       TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE notification (
    id          BIGSERIAL   PRIMARY KEY,
    account_id  TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    email       TEXT,
    subject     TEXT        NOT NULL,
    body        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    sent_at     TIMESTAMPTZ,
    attempts    INT         NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX notification_unsent ON notification (id) WHERE sent_at IS NULL;

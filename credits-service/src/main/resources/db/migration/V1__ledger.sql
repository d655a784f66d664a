-- The append-only credit ledger: a balance is always the sum of an account's entries.
CREATE TABLE ledger_entry (
    id          BIGSERIAL   PRIMARY KEY,
    account_id  TEXT        NOT NULL,
    bucket      TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    amount      BIGINT      NOT NULL,
    reason      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ledger_entry_account ON ledger_entry (account_id, id DESC);

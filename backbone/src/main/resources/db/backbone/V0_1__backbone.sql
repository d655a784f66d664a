-- Tables every Tally service has: the outbox, the inbox of applied events, Idempotency-Key records.

-- A row is written in the same transaction as the state change it announces; the relay publishes
-- unsent rows in seq order and marks them sent.
CREATE TABLE outbox_event (
    seq          BIGSERIAL PRIMARY KEY,
    id           UUID        NOT NULL UNIQUE,
    topic        TEXT        NOT NULL,
    message_key  TEXT        NOT NULL,
    type         TEXT        NOT NULL,
    subject      TEXT        NOT NULL,
    payload      JSONB       NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    sent_at      TIMESTAMPTZ
);
CREATE INDEX outbox_event_unsent ON outbox_event (seq) WHERE sent_at IS NULL;

-- Event ids a consumer has applied, written in the transaction that applied them.
CREATE TABLE inbox_event (
    consumer    TEXT        NOT NULL,
    event_id    TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (consumer, event_id)
);

-- One row per (scope, key). RUNNING rows are claims; DONE rows hold the response to replay.
CREATE TABLE idempotency_key (
    scope           TEXT        NOT NULL,
    idem_key        TEXT        NOT NULL,
    request_hash    TEXT        NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN ('RUNNING', 'DONE')),
    claim_token     UUID        NOT NULL,
    claimed_at      TIMESTAMPTZ NOT NULL,
    response_status INT,
    response_body   TEXT,
    expires_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_key_expiry ON idempotency_key (expires_at);

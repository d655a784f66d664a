-- Durable timers: one row per (subscription, kind, due instant); storing one twice is impossible.
CREATE TABLE timer (
    id               BIGSERIAL   PRIMARY KEY,
    subscription_id  UUID        NOT NULL,
    account_id       TEXT        NOT NULL,
    kind             TEXT        NOT NULL,
    due_at           TIMESTAMPTZ NOT NULL,
    fired_at         TIMESTAMPTZ,
    UNIQUE (subscription_id, kind, due_at)
);
CREATE INDEX timer_due ON timer (due_at) WHERE fired_at IS NULL;

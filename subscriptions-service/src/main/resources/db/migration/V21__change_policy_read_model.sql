-- The change policy's overrides as plans-service last published them (change-policy.published on
-- the plans topic): one row, the whole list at its version; an event replaces it only when its
-- version is higher, so a redelivered or late older one changes nothing. No row yet: the default
-- table with no overrides (what plans-service answers before any override is set).
CREATE TABLE catalog_change_policy (
    id           BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (id),
    version      BIGINT      NOT NULL,
    overrides    JSONB       NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

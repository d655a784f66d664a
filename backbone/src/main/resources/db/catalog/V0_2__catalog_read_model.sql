-- A service's local copy of the plan catalog, kept from the compacted plans topic.
-- Every version is kept: subscriptions refer to the version they bought.
CREATE TABLE catalog_plan_version (
    code         TEXT        NOT NULL,
    version      INT         NOT NULL,
    snapshot     JSONB       NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (code, version)
);

-- The newest version of each plan and whether it is still sold.
CREATE TABLE catalog_plan (
    code            TEXT    PRIMARY KEY,
    latest_version  INT     NOT NULL,
    retired         BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE catalog_credit_pack (
    code      TEXT  PRIMARY KEY,
    snapshot  JSONB NOT NULL
);

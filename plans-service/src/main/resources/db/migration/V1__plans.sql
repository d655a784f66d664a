-- The plan catalog. A plan (code) has at most one draft and any number of published versions;
-- a published version never changes. Retiring a plan stops its sale; its versions keep resolving.
CREATE TABLE plan (
    code            TEXT        PRIMARY KEY,
    status          TEXT        NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'RETIRED')),
    latest_version  INT         NOT NULL DEFAULT 0,
    draft           JSONB,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE plan_version (
    code          TEXT        NOT NULL REFERENCES plan (code),
    version       INT         NOT NULL,
    rank          INT         NOT NULL,
    default_free  BOOLEAN     NOT NULL,
    snapshot      JSONB       NOT NULL,
    published_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (code, version)
);

CREATE TABLE credit_pack (
    code        TEXT        PRIMARY KEY,
    status      TEXT        NOT NULL CHECK (status IN ('PUBLISHED', 'RETIRED')),
    snapshot    JSONB       NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Admin overrides of the default change policy: for one pair of plans, or for one direction.
CREATE TABLE change_policy_override (
    id              BIGSERIAL PRIMARY KEY,
    from_code       TEXT,
    to_code         TEXT,
    direction       TEXT,
    allowed         TEXT[]    NOT NULL,
    default_timing  TEXT      NOT NULL,
    CHECK ((from_code IS NOT NULL AND to_code IS NOT NULL AND direction IS NULL)
        OR (from_code IS NULL AND to_code IS NULL AND direction IS NOT NULL))
);
CREATE UNIQUE INDEX change_policy_override_pair ON change_policy_override (from_code, to_code) WHERE direction IS NULL;
CREATE UNIQUE INDEX change_policy_override_direction ON change_policy_override (direction) WHERE direction IS NOT NULL;

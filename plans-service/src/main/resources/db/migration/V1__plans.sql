-- Published plan versions; a published version never changes.
CREATE TABLE plan_version (
    code          TEXT        NOT NULL,
    version       INT         NOT NULL,
    rank          INT         NOT NULL,
    status        TEXT        NOT NULL,
    snapshot      JSONB       NOT NULL,
    published_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (code, version)
);

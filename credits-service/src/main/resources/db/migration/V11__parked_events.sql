-- Events that arrived ahead of their turn, recorded in the inbox (so the offset moves on) and kept
-- here until what they wait for arrives: a subscription event whose revision is beyond the next one
-- its account expects (it waits for the revisions before it), and a billing command that names a
-- period the account's applied subscription events have not reached yet (revision is null: it
-- waits for the subscription event that starts that period). Applied, or found stale, they are deleted.
CREATE TABLE parked_event (
    seq         BIGSERIAL   PRIMARY KEY,
    account_id  TEXT        NOT NULL,
    revision    BIGINT,
    event_id    TEXT        NOT NULL UNIQUE,
    event_type  TEXT        NOT NULL,
    source      TEXT,
    event_time  TIMESTAMPTZ,
    payload     JSONB       NOT NULL,
    parked_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX parked_event_account ON parked_event (account_id, seq);
CREATE INDEX parked_event_age ON parked_event (parked_at);

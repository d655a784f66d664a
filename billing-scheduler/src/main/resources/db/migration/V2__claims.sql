-- Firing state: a replica claims due timers for a lease; the period a timer is about; and the last
-- subscription revision applied, so an older event never moves timers back.
ALTER TABLE timer ADD COLUMN period_start TIMESTAMPTZ;
ALTER TABLE timer ADD COLUMN period_end TIMESTAMPTZ;
ALTER TABLE timer ADD COLUMN claimed_by TEXT;
ALTER TABLE timer ADD COLUMN claim_expires TIMESTAMPTZ;

CREATE TABLE subscription_revision (
    subscription_id  UUID   PRIMARY KEY,
    revision         BIGINT NOT NULL
);

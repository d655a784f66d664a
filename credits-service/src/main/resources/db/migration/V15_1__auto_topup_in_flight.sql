-- The auto top-up timeout (AutoTopupTimeouts) finds the top-ups in flight for longer than
-- tally.credits.auto-topup.in-flight-timeout, oldest first.
CREATE INDEX auto_topup_in_flight ON auto_topup (in_flight_since) WHERE in_flight IS NOT NULL;

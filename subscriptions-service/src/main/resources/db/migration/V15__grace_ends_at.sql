-- The instant a past-due subscription's grace ends, fixed when the grace begins (a later change of
-- tally.stripe.past-due-grace does not move graces already running); the check finds due ones by it.
ALTER TABLE stripe_subscription ADD COLUMN grace_ends_at TIMESTAMPTZ;
UPDATE stripe_subscription SET grace_ends_at = past_due_since + interval '7 days' WHERE past_due_since IS NOT NULL;
CREATE INDEX stripe_subscription_grace_due ON stripe_subscription (grace_ends_at) WHERE past_due_since IS NOT NULL AND status <> 'canceled';

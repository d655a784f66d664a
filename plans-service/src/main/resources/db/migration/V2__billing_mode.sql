-- A plan's billing mode, versioned with the plan like every other term: IN_ADVANCE (charged when a
-- period starts; every version published before this) or IN_ARREARS (the period's prorated fee and
-- usage computed at the usage close and collected on the billing date). The snapshot carries it;
-- the column lets the catalog be queried by it.
ALTER TABLE plan_version ADD COLUMN billing_mode TEXT NOT NULL DEFAULT 'IN_ADVANCE'
    CHECK (billing_mode IN ('IN_ADVANCE', 'IN_ARREARS'));
UPDATE plan_version SET snapshot = snapshot || '{"billingMode": "IN_ADVANCE"}'::jsonb WHERE NOT snapshot ? 'billingMode';
UPDATE plan SET draft = draft || '{"billingMode": "IN_ADVANCE"}'::jsonb WHERE draft IS NOT NULL AND NOT draft ? 'billingMode';

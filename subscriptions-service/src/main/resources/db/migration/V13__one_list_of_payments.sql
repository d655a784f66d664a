-- One list of what the account paid: top-up purchases are charge lines too (kind TOPUP, with the
-- pack and its credits, no subscription needed), and the purchases made before this are copied in.
ALTER TABLE charge ALTER COLUMN subscription_id DROP NOT NULL;
ALTER TABLE charge ADD COLUMN pack_code TEXT;
ALTER TABLE charge ADD COLUMN pack_credits BIGINT;
INSERT INTO charge (account_id, subscription_id, kind, description, amount_minor, currency, payment_ref, created_at, pack_code, pack_credits)
SELECT account_id, NULL, 'TOPUP', 'credit pack ' || pack_code, amount_minor, currency, payment_ref, settled_at, pack_code, credits
FROM topup_purchase ORDER BY settled_at;

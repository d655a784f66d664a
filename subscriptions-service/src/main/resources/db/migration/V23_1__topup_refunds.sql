-- Money of a top-up that went back to the buyer (docs/rules.md, Lots): refunds (through Tally or in
-- Stripe) and disputes, cumulative per purchase, each step a negative charge line (TOPUP_REFUND,
-- TOPUP_DISPUTE). Stripe's webhooks find the purchase by its payment intent.
ALTER TABLE topup_purchase ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0);
ALTER TABLE topup_purchase ADD COLUMN disputed_minor BIGINT NOT NULL DEFAULT 0 CHECK (disputed_minor >= 0);
CREATE INDEX topup_purchase_payment_ref ON topup_purchase (payment_ref);
CREATE INDEX topup_purchase_account ON topup_purchase (account_id);

-- Admins list sales inquiries by account, newest first.
CREATE INDEX sales_inquiry_account ON sales_inquiry (account_id, received_at DESC);

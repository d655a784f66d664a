-- Every subscription event rewrites its account's terms and period (columns no index names): with
-- room left on each page those updates are HOT. Applies to pages written from now on.
ALTER TABLE credit_account SET (fillfactor = 80);

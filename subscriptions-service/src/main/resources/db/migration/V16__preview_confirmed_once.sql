-- A preview is confirmed once: concurrent confirmations decided on the same revision reach the same
-- state (a binding preview fixes the instant), so the preview row, not the state, tells them apart.
ALTER TABLE change_preview ADD COLUMN confirmed_at TIMESTAMPTZ;

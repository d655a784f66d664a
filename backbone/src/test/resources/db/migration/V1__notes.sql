-- A toy aggregate for exercising the backbone: notes per account, and commands applied.
CREATE TABLE note (id BIGSERIAL PRIMARY KEY, account_id TEXT NOT NULL, text TEXT NOT NULL, amount INT NOT NULL);
CREATE TABLE applied_command (event_id TEXT PRIMARY KEY, subscription_id UUID NOT NULL, account_id TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp());

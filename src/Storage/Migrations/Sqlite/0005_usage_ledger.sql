-- What a ledger row was missing (see the PostgreSQL migration) and indexes for the usage queries.
ALTER TABLE usage_records ADD COLUMN time_to_first_token_ms INTEGER;
ALTER TABLE usage_records ADD COLUMN error_class TEXT;
ALTER TABLE usage_records ADD COLUMN client_disconnected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_records ADD COLUMN tokens_estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_records ADD COLUMN routing_attempts INTEGER;

-- Team and user budgets recompute their period from the ledger on activation.
CREATE INDEX usage_records_team_time ON usage_records (team_id, occurred_at);
CREATE INDEX usage_records_user_time ON usage_records (user_id, occurred_at);

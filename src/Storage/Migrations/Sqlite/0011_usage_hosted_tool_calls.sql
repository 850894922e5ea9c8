-- Calls the provider made to its own tools, in total (see the PostgreSQL migration).
ALTER TABLE usage_records ADD COLUMN hosted_tool_calls INTEGER NOT NULL DEFAULT 0;

-- Calls the provider made to its own tools (web search, file search, code interpreter, web fetch, Google Search),
-- which the pricing engine charges per call. A row keeps their total, whatever the tool; what they cost is the
-- hosted_tools component of cost_breakdown. Constant default: existing rows read as zero without the table being
-- rewritten.
ALTER TABLE usage_records ADD COLUMN hosted_tool_calls bigint NOT NULL DEFAULT 0;

-- The usage aggregates and invoices sum the new column too; the organisation index carries it so those queries stay
-- index-only scans (see 0005 and 0008). Rebuilding it blocks ledger writes for as long as the build takes on a large
-- table; the ledger writer spools meanwhile and replays afterwards.
DROP INDEX usage_records_organisation_time;
CREATE INDEX usage_records_organisation_time ON usage_records (organisation_id, occurred_at)
    INCLUDE (recorded_at, http_status, currency, cost, input_tokens, cached_input_tokens, cache_write_tokens,
             cache_write_one_hour_tokens, output_tokens, reasoning_tokens, images, audio_seconds, audio_output_seconds,
             characters, hosted_tool_calls, team_id, user_id, api_key_id, model_id, provider_id);

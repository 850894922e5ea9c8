-- What a ledger row was missing (time to first token, who a failure belongs to, client disconnects, estimated
-- tokens, routing attempts), and indexes for the usage queries at tens of millions of rows.
ALTER TABLE usage_records
    ADD COLUMN time_to_first_token_ms bigint,
    ADD COLUMN error_class text,
    ADD COLUMN client_disconnected boolean NOT NULL DEFAULT false,
    ADD COLUMN tokens_estimated boolean NOT NULL DEFAULT false,
    ADD COLUMN routing_attempts integer;

-- One organisation over a time range is the shape of every report, invoice and budget total. Carrying the summed
-- and grouped columns in the index lets those queries run as index-only scans: the rows of one organisation are
-- interleaved with everyone else's in the heap, so reading them there would touch every page of the range.
DROP INDEX usage_records_organisation_time;
CREATE INDEX usage_records_organisation_time ON usage_records (organisation_id, occurred_at)
    INCLUDE (recorded_at, http_status, currency, cost, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens,
             reasoning_tokens, team_id, user_id, api_key_id, model_id, provider_id);

-- Team and user budgets recompute their period from the ledger on activation.
CREATE INDEX usage_records_team_time ON usage_records (team_id, occurred_at) WHERE team_id IS NOT NULL;
CREATE INDEX usage_records_user_time ON usage_records (user_id, occurred_at) WHERE user_id IS NOT NULL;

-- Rows arrive in time order, so a block-range index on the time answers cross-organisation ranges (operator
-- exports) for a few kilobytes instead of another B-tree the size of the table.
CREATE INDEX usage_records_time_brin ON usage_records USING brin (occurred_at);

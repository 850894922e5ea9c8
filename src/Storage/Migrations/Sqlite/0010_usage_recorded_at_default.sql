-- recorded_at gets its clock from the column's default, and the 0004/0009 trigger goes. A table with an AFTER INSERT
-- trigger makes every insert a statement that may abort after writing (the trigger's UPDATE runs after the row and
-- its six index entries are in), so SQLite copied every page an insert touched to a statement journal before writing
-- it. The ledger writer's single-row inserts check every constraint before they write, so without the trigger they
-- need no statement journal: about a fifth of the SQLite ledger's CPU per row (docs/BENCHMARKS.md, "Ninth round").
-- SQLite cannot change a column's default in place, so the table is rebuilt with its columns in the same order and
-- its indexes recreated. The ledger writer still stamps recorded_at in its own insert under the batch's write lock
-- (LedgerFence); the default is for every other insert, which the trigger used to stamp.
CREATE TABLE usage_records_rebuilt (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    team_id TEXT,
    user_id TEXT,
    api_key_id TEXT,
    endpoint TEXT NOT NULL,
    requested_model TEXT,
    model_id TEXT,
    model_name TEXT,
    provider_id TEXT,
    upstream_slug TEXT,
    mcp_server_id TEXT,
    tool_name TEXT,
    http_status INTEGER NOT NULL,
    error_code TEXT,
    streamed INTEGER NOT NULL,
    latency_ms INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL,
    images INTEGER NOT NULL,
    audio_seconds TEXT NOT NULL,
    cost TEXT NOT NULL,
    currency TEXT NOT NULL,
    cost_breakdown TEXT,
    provider_usage TEXT,
    routing TEXT,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    time_to_first_token_ms INTEGER,
    error_class TEXT,
    client_disconnected INTEGER NOT NULL DEFAULT 0,
    tokens_estimated INTEGER NOT NULL DEFAULT 0,
    routing_attempts INTEGER,
    cache_write_one_hour_tokens INTEGER NOT NULL DEFAULT 0,
    image_size TEXT,
    image_quality TEXT,
    audio_output_seconds TEXT NOT NULL DEFAULT '0',
    characters INTEGER NOT NULL DEFAULT 0,
    UNIQUE (request_id, kind)
);

-- Rows are copied in insertion order, so their rowids, renumbered, keep that order (rows that tie on an index still
-- come back in the order they were written).
INSERT INTO usage_records_rebuilt
SELECT id, request_id, occurred_at, kind, organisation_id, team_id, user_id, api_key_id, endpoint, requested_model,
       model_id, model_name, provider_id, upstream_slug, mcp_server_id, tool_name, http_status, error_code, streamed,
       latency_ms, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, images,
       audio_seconds, cost, currency, cost_breakdown, provider_usage, routing,
       CASE WHEN recorded_at = '' THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE recorded_at END,
       time_to_first_token_ms, error_class, client_disconnected, tokens_estimated, routing_attempts,
       cache_write_one_hour_tokens, image_size, image_quality, audio_output_seconds, characters
FROM usage_records
ORDER BY rowid;

DROP TABLE usage_records;
ALTER TABLE usage_records_rebuilt RENAME TO usage_records;

CREATE INDEX usage_records_organisation_time ON usage_records (organisation_id, occurred_at);
CREATE INDEX usage_records_api_key_time ON usage_records (api_key_id, occurred_at);
CREATE INDEX usage_records_team_time ON usage_records (team_id, occurred_at);
CREATE INDEX usage_records_user_time ON usage_records (user_id, occurred_at);

-- The admin API's indexes and retired secrets, as in the PostgreSQL migration of the same number.
CREATE INDEX api_keys_organisation_created ON api_keys (organisation_id, created_at, id);
CREATE INDEX api_keys_team_name ON api_keys (team_id, name);
CREATE INDEX api_keys_user_name ON api_keys (user_id, name);

CREATE TABLE api_key_retired_secrets (
    hash TEXT PRIMARY KEY,
    api_key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    valid_until TEXT NOT NULL
);
CREATE INDEX api_key_retired_secrets_key ON api_key_retired_secrets (api_key_id);

CREATE INDEX audit_entries_organisation_time_id ON audit_entries (organisation_id, occurred_at, id);
CREATE INDEX audit_entries_time_id ON audit_entries (occurred_at, id);

-- "Which keys may call this model / use this MCP server" (the reverse of a key's grants), and deleting one, look
-- grants up by the model or server.
CREATE INDEX api_key_model_grants_model ON api_key_model_grants (model_id, api_key_id);
CREATE INDEX api_key_mcp_grants_server ON api_key_mcp_grants (mcp_server_id, api_key_id);

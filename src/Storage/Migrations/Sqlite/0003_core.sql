-- The administrative model and the usage ledger, as in the PostgreSQL migration of the same number.
-- SQLite types: ids and instants are TEXT (instants as fixed-width ISO 8601 UTC, so they sort), booleans INTEGER,
-- money TEXT (exact decimals, never REAL).
CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    description TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    organisation_id TEXT REFERENCES organisations (id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    password_hash TEXT,
    failed_sign_ins INTEGER NOT NULL,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE admin_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    last_used_at TEXT
);

CREATE TABLE providers (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    base_url TEXT,
    settings TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE provider_keys (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    name TEXT NOT NULL,
    encrypted_secret BLOB NOT NULL,
    secret_hint TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (provider_id, name)
);

CREATE TABLE models (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    upstream_slug TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    provider_key_id TEXT REFERENCES provider_keys (id),
    type TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    pricing TEXT NOT NULL,
    policies TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    team_id TEXT REFERENCES teams (id),
    user_id TEXT REFERENCES users (id),
    status TEXT NOT NULL,
    expires_at TEXT,
    limits TEXT NOT NULL,
    routing TEXT,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    UNIQUE (organisation_id, name)
);

CREATE TABLE mcp_servers (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    transport TEXT NOT NULL,
    url TEXT,
    command TEXT,
    arguments TEXT NOT NULL,
    team_id TEXT REFERENCES teams (id),
    api_key_id TEXT REFERENCES api_keys (id),
    allowed_tools TEXT NOT NULL,
    blocked_tools TEXT NOT NULL,
    pricing TEXT NOT NULL,
    rate_limit TEXT NOT NULL,
    metadata TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE api_key_model_grants (
    api_key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    model_id TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    PRIMARY KEY (api_key_id, model_id)
);

CREATE TABLE api_key_mcp_grants (
    api_key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    mcp_server_id TEXT NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
    PRIMARY KEY (api_key_id, mcp_server_id)
);

CREATE TABLE budgets (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    target_id TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    period TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);
CREATE INDEX budgets_target ON budgets (target_id);

CREATE TABLE quotas (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    target_id TEXT NOT NULL,
    unit TEXT NOT NULL,
    limit_value INTEGER NOT NULL,
    period TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);
CREATE INDEX quotas_target ON quotas (target_id);

CREATE TABLE usage_records (
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
    UNIQUE (request_id, kind)
);
CREATE INDEX usage_records_organisation_time ON usage_records (organisation_id, occurred_at);
CREATE INDEX usage_records_api_key_time ON usage_records (api_key_id, occurred_at);

CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    team_id TEXT REFERENCES teams (id),
    number TEXT NOT NULL UNIQUE,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    currency TEXT NOT NULL,
    lines TEXT NOT NULL,
    total TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    issued_at TEXT
);
CREATE INDEX invoices_organisation_period ON invoices (organisation_id, period_start);

CREATE TABLE audit_entries (
    id TEXT PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    organisation_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    details TEXT
);
CREATE INDEX audit_entries_time ON audit_entries (occurred_at);
CREATE INDEX audit_entries_organisation_time ON audit_entries (organisation_id, occurred_at);

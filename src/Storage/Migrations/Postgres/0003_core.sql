-- The administrative model and the usage ledger. Natural keys are unique so imports can be idempotent;
-- foreign keys RESTRICT so nothing in use disappears silently; usage and audit rows carry no foreign keys,
-- so history outlives the things it mentions. JSON documents are text: read and written whole, never queried.
CREATE TABLE organisations (
    id uuid PRIMARY KEY,
    name text NOT NULL UNIQUE,
    display_name text,
    enabled boolean NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE teams (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL,
    description text,
    created_at timestamptz NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE users (
    id uuid PRIMARY KEY,
    organisation_id uuid REFERENCES organisations (id),
    email text NOT NULL UNIQUE,
    display_name text,
    role text NOT NULL,
    status text NOT NULL,
    password_hash text,
    failed_sign_ins integer NOT NULL,
    locked_until timestamptz,
    created_at timestamptz NOT NULL,
    last_sign_in_at timestamptz
);

CREATE TABLE team_members (
    team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE admin_tokens (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name text NOT NULL,
    prefix text NOT NULL,
    hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz
);

CREATE TABLE providers (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL,
    type text NOT NULL,
    base_url text,
    settings text NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE provider_keys (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers (id),
    name text NOT NULL,
    encrypted_secret bytea NOT NULL,
    secret_hint text NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (provider_id, name)
);

CREATE TABLE models (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL,
    upstream_slug text NOT NULL,
    provider_id uuid NOT NULL REFERENCES providers (id),
    provider_key_id uuid REFERENCES provider_keys (id),
    type text NOT NULL,
    capabilities text NOT NULL,
    pricing text NOT NULL,
    policies text NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE api_keys (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL,
    prefix text NOT NULL,
    hash text NOT NULL UNIQUE,
    scope text NOT NULL,
    team_id uuid REFERENCES teams (id),
    user_id uuid REFERENCES users (id),
    status text NOT NULL,
    expires_at timestamptz,
    limits text NOT NULL,
    routing text,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz,
    UNIQUE (organisation_id, name)
);

CREATE TABLE mcp_servers (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL,
    transport text NOT NULL,
    url text,
    command text,
    arguments text NOT NULL,
    team_id uuid REFERENCES teams (id),
    api_key_id uuid REFERENCES api_keys (id),
    allowed_tools text NOT NULL,
    blocked_tools text NOT NULL,
    pricing text NOT NULL,
    rate_limit text NOT NULL,
    metadata text NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE api_key_model_grants (
    api_key_id uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    model_id uuid NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    PRIMARY KEY (api_key_id, model_id)
);

CREATE TABLE api_key_mcp_grants (
    api_key_id uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    mcp_server_id uuid NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
    PRIMARY KEY (api_key_id, mcp_server_id)
);

CREATE TABLE budgets (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL,
    scope text NOT NULL,
    target_id uuid NOT NULL,
    amount numeric(20, 10) NOT NULL,
    currency text NOT NULL,
    period text NOT NULL,
    time_zone text NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (organisation_id, name)
);
CREATE INDEX budgets_target ON budgets (target_id);

CREATE TABLE quotas (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL,
    scope text NOT NULL,
    target_id uuid NOT NULL,
    unit text NOT NULL,
    limit_value bigint NOT NULL,
    period text NOT NULL,
    time_zone text NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (organisation_id, name)
);
CREATE INDEX quotas_target ON quotas (target_id);

CREATE TABLE usage_records (
    id uuid PRIMARY KEY,
    request_id text NOT NULL,
    occurred_at timestamptz NOT NULL,
    kind text NOT NULL,
    organisation_id uuid NOT NULL,
    team_id uuid,
    user_id uuid,
    api_key_id uuid,
    endpoint text NOT NULL,
    requested_model text,
    model_id uuid,
    model_name text,
    provider_id uuid,
    upstream_slug text,
    mcp_server_id uuid,
    tool_name text,
    http_status integer NOT NULL,
    error_code text,
    streamed boolean NOT NULL,
    latency_ms bigint NOT NULL,
    input_tokens bigint NOT NULL,
    cached_input_tokens bigint NOT NULL,
    cache_write_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    reasoning_tokens bigint NOT NULL,
    images bigint NOT NULL,
    audio_seconds numeric(20, 10) NOT NULL,
    cost numeric(20, 10) NOT NULL,
    currency text NOT NULL,
    cost_breakdown text,
    provider_usage text,
    routing text,
    UNIQUE (request_id, kind)
);
CREATE INDEX usage_records_organisation_time ON usage_records (organisation_id, occurred_at);
CREATE INDEX usage_records_api_key_time ON usage_records (api_key_id, occurred_at);

CREATE TABLE invoices (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    team_id uuid REFERENCES teams (id),
    number text NOT NULL UNIQUE,
    period_start timestamptz NOT NULL,
    period_end timestamptz NOT NULL,
    currency text NOT NULL,
    lines text NOT NULL,
    total numeric(20, 10) NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    issued_at timestamptz
);
CREATE INDEX invoices_organisation_period ON invoices (organisation_id, period_start);

CREATE TABLE audit_entries (
    id uuid PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor text NOT NULL,
    organisation_id uuid,
    action text NOT NULL,
    target_type text NOT NULL,
    target_id text,
    details text
);
CREATE INDEX audit_entries_time ON audit_entries (occurred_at);
CREATE INDEX audit_entries_organisation_time ON audit_entries (organisation_id, occurred_at);

-- The grain runtime's tables (docs/CLUSTER.md). Expiry is always judged by this database's clock (now()).
CREATE TABLE cluster_silos (
    silo_id text PRIMARY KEY,
    address text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    status text NOT NULL,
    activation_count integer NOT NULL DEFAULT 0
);

-- One row per partition, created by the first silo. A NULL owner or a past expiry means free to claim.
CREATE TABLE cluster_partitions (
    partition integer PRIMARY KEY,
    owner_silo text,
    epoch bigint NOT NULL DEFAULT 0,
    expires_at timestamptz NOT NULL DEFAULT '-infinity'
);

CREATE TABLE grain_state (
    grain_type text NOT NULL,
    grain_key text NOT NULL,
    partition integer NOT NULL,
    etag text NOT NULL,
    data text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain_type, grain_key)
);

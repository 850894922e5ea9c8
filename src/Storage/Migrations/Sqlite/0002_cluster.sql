-- The grain runtime's state table. On SQLite one process owns every partition (local mode), so there are no
-- membership or lease tables; writes are guarded by ETag alone.
CREATE TABLE grain_state (
    grain_type TEXT NOT NULL,
    grain_key TEXT NOT NULL,
    partition INTEGER NOT NULL,
    etag TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (grain_type, grain_key)
);

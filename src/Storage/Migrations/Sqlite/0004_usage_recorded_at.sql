-- When each ledger row became durable (see the PostgreSQL migration). SQLite cannot add a column whose default is
-- not a constant, so a trigger stamps new rows.
ALTER TABLE usage_records ADD COLUMN recorded_at TEXT NOT NULL DEFAULT '';
UPDATE usage_records SET recorded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
CREATE TRIGGER usage_records_recorded_at AFTER INSERT ON usage_records
BEGIN
    UPDATE usage_records SET recorded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid;
END;

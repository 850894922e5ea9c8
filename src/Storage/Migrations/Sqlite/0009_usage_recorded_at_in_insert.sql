-- The ledger writer now stamps recorded_at in its own INSERT, by the same clock expression. The trigger from 0004
-- updated every new row a second time (a second b-tree write per ledger row); it now fills in only rows an insert
-- left unstamped.
DROP TRIGGER usage_records_recorded_at;
CREATE TRIGGER usage_records_recorded_at AFTER INSERT ON usage_records WHEN NEW.recorded_at = ''
BEGIN
    UPDATE usage_records SET recorded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid;
END;

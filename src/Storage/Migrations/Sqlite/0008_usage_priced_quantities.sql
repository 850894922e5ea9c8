-- The priced quantities a ledger row could not hold yet (see the PostgreSQL migration). Amounts are TEXT, as for
-- audio_seconds, so they stay exact decimals.
ALTER TABLE usage_records ADD COLUMN cache_write_one_hour_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_records ADD COLUMN image_size TEXT;
ALTER TABLE usage_records ADD COLUMN image_quality TEXT;
ALTER TABLE usage_records ADD COLUMN audio_output_seconds TEXT NOT NULL DEFAULT '0';
ALTER TABLE usage_records ADD COLUMN characters INTEGER NOT NULL DEFAULT 0;

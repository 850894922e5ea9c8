-- The quantities the pricing engine charges that a ledger row could not hold yet: one-hour cache writes, the size
-- and quality an image was priced at, seconds of generated audio and characters spoken. Without them an invoice or
-- a report cannot explain a charge. Constant defaults: existing rows read as zero (and null size and quality)
-- without the table being rewritten.
ALTER TABLE usage_records
    ADD COLUMN cache_write_one_hour_tokens bigint NOT NULL DEFAULT 0,
    ADD COLUMN image_size text,
    ADD COLUMN image_quality text,
    ADD COLUMN audio_output_seconds numeric(20, 10) NOT NULL DEFAULT 0,
    ADD COLUMN characters bigint NOT NULL DEFAULT 0;

-- The usage aggregates now sum every priced quantity; the organisation index carries them all so those queries stay
-- index-only scans (see 0005). Rebuilding it blocks ledger writes for as long as the build takes on a large table;
-- the ledger writer spools meanwhile and replays afterwards.
DROP INDEX usage_records_organisation_time;
CREATE INDEX usage_records_organisation_time ON usage_records (organisation_id, occurred_at)
    INCLUDE (recorded_at, http_status, currency, cost, input_tokens, cached_input_tokens, cache_write_tokens,
             cache_write_one_hour_tokens, output_tokens, reasoning_tokens, images, audio_seconds, audio_output_seconds,
             characters, team_id, user_id, api_key_id, model_id, provider_id);

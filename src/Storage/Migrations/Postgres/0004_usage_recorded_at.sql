-- When each ledger row became durable, by the database clock. A budget or quota grain sums the ledger when it
-- activates and remembers that instant; a settle that later reaches it for a request it never saw asks whether
-- that request's row was already part of the sum, so a retried settle after a failover is charged exactly once.
ALTER TABLE usage_records ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT clock_timestamp();

-- Invoices numbered per organisation when issued, with lines and totals per currency (see the PostgreSQL migration).
-- Rows of the first invoices table are kept, renamed; SQLite index names are schema-wide, so its index goes.
ALTER TABLE invoices RENAME TO invoices_before_0006;
DROP INDEX invoices_organisation_period;

CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    scope TEXT NOT NULL,
    team_id TEXT REFERENCES teams (id),
    user_id TEXT REFERENCES users (id),
    sequence INTEGER,
    number TEXT,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    lines TEXT NOT NULL,
    totals TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    issued_at TEXT,
    paid_at TEXT,
    voided_at TEXT,
    void_reason TEXT,
    UNIQUE (organisation_id, sequence),
    UNIQUE (organisation_id, number)
);
CREATE INDEX invoices_organisation_period ON invoices (organisation_id, period_start);
-- One draft per subject and period, so two administrators generating the same month at once end with one draft.
CREATE UNIQUE INDEX invoices_one_draft ON invoices (organisation_id, scope, COALESCE(team_id, user_id, organisation_id), period_start, period_end)
    WHERE status = 'draft';

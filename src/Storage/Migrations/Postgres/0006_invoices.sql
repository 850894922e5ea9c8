-- Invoices for an organisation, a team or a user, numbered per organisation when issued (drafts carry no number, so
-- issued numbers have no gaps), with lines and totals per currency. The first invoices table held one currency and a
-- globally unique number; nothing generated rows for it, but any row someone wrote by hand is kept, renamed, rather
-- than dropped.
ALTER TABLE invoices RENAME TO invoices_before_0006;
ALTER TABLE invoices_before_0006 RENAME CONSTRAINT invoices_pkey TO invoices_before_0006_pkey;
ALTER TABLE invoices_before_0006 RENAME CONSTRAINT invoices_number_key TO invoices_before_0006_number_key;
ALTER INDEX invoices_organisation_period RENAME TO invoices_before_0006_organisation_period;

CREATE TABLE invoices (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    scope text NOT NULL,
    team_id uuid REFERENCES teams (id),
    user_id uuid REFERENCES users (id),
    sequence integer,
    number text,
    period_start timestamptz NOT NULL,
    period_end timestamptz NOT NULL,
    lines text NOT NULL,
    totals text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    issued_at timestamptz,
    paid_at timestamptz,
    voided_at timestamptz,
    void_reason text,
    UNIQUE (organisation_id, sequence),
    UNIQUE (organisation_id, number)
);
CREATE INDEX invoices_organisation_period ON invoices (organisation_id, period_start);
-- One draft per subject and period, so two administrators generating the same month at once end with one draft.
CREATE UNIQUE INDEX invoices_one_draft ON invoices (organisation_id, scope, COALESCE(team_id, user_id, organisation_id), period_start, period_end)
    WHERE status = 'draft';

-- Issue 6, second half: appeals, feedback and coaching notes, in-app notifications, and the
-- columns that make the audit log filterable by employee and period.
-- Amounts ×100 and totals ×100 like adjustments.

-- An appeal against one item of an agent's card: a KPI value, a deduction, a QA review or a
-- finding (target_kind + target_ref). Before/after are the card's total, points and pay when
-- it was decided (after = after the recompute), so the agent sees what the decision changed.
CREATE TABLE appeals (
    id BIGSERIAL PRIMARY KEY,
    period TEXT NOT NULL,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('kpi', 'deduction', 'qa', 'finding')),
    target_ref TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    evidence TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN
        ('submitted', 'escalated', 'accepted', 'rejected', 'withdrawn')),
    escalated BOOLEAN NOT NULL DEFAULT FALSE,
    submitted_by TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    decided_by TEXT,
    decided_at TIMESTAMPTZ,
    decision_reason TEXT,
    adjustment_id BIGINT REFERENCES adjustments(id),
    before_total BIGINT,
    before_points BIGINT,
    before_pay BIGINT,
    after_total BIGINT,
    after_points BIGINT,
    after_pay BIGINT
);
CREATE INDEX appeals_period_employee ON appeals (period, employee_id);
CREATE INDEX appeals_status ON appeals (status);

-- Every step of an appeal, oldest first: the appeal page's history.
CREATE TABLE appeal_events (
    id BIGSERIAL PRIMARY KEY,
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX appeal_events_appeal ON appeal_events (appeal_id, id);

-- Feedback and coaching notes on an agent's card of a period; the agent acknowledges.
CREATE TABLE notes (
    id BIGSERIAL PRIMARY KEY,
    period TEXT NOT NULL,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    kind TEXT NOT NULL CHECK (kind IN ('feedback', 'coaching')),
    body TEXT NOT NULL CHECK (length(trim(body)) > 0),
    author TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at TIMESTAMPTZ
);
CREATE INDEX notes_period_employee ON notes (period, employee_id);

-- In-app notifications, one row per recipient user.
CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);

-- The audit page filters by employee and period. Both are derived, at append time, from the
-- hashed content (detail.employee_id; the subject when it is a period, else detail.period), so
-- they add no unverifiable information; backfilled here for older entries (a detail that is
-- not JSON, edited by hand, is left unindexed rather than failing the migration).
ALTER TABLE audit_log ADD COLUMN employee_id BIGINT;
ALTER TABLE audit_log ADD COLUMN period TEXT;
DO $$
DECLARE
    r RECORD;
    d JSONB;
BEGIN
    FOR r IN SELECT id, subject, detail_json FROM audit_log LOOP
        BEGIN
            d := r.detail_json::jsonb;
        EXCEPTION WHEN others THEN
            d := NULL;
        END;
        UPDATE audit_log SET
            employee_id = CASE WHEN jsonb_typeof(d -> 'employee_id') = 'number'
                               THEN (d ->> 'employee_id')::numeric::bigint END,
            period = CASE WHEN r.subject ~ '^[0-9]{4}-[0-9]{2}$' THEN r.subject
                          WHEN jsonb_typeof(d -> 'period') = 'string' THEN d ->> 'period' END
        WHERE id = r.id;
    END LOOP;
END
$$;
CREATE INDEX audit_log_employee ON audit_log (employee_id, id);
CREATE INDEX audit_log_period ON audit_log (period, id);
CREATE INDEX audit_log_kind ON audit_log (kind, id);

-- Issue 6, second half: appeals, feedback and coaching notes, in-app notifications, and the
-- columns that make the audit log filterable by employee and period.
-- Amounts ×100 and totals ×100 like adjustments; timestamps are RFC 3339 text.

-- An appeal against one item of an agent's card: a KPI value, a deduction, a QA review or a
-- finding (target_kind + target_ref). Before/after are the card's total, points and pay when
-- it was decided (after = after the recompute), so the agent sees what the decision changed.
CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('kpi', 'deduction', 'qa', 'finding')),
    target_ref TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    evidence TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN
        ('submitted', 'escalated', 'accepted', 'rejected', 'withdrawn')),
    escalated INTEGER NOT NULL DEFAULT 0,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_reason TEXT,
    adjustment_id INTEGER REFERENCES adjustments(id),
    before_total INTEGER,
    before_points INTEGER,
    before_pay INTEGER,
    after_total INTEGER,
    after_points INTEGER,
    after_pay INTEGER
);
CREATE INDEX appeals_period_employee ON appeals (period, employee_id);
CREATE INDEX appeals_status ON appeals (status);

-- Every step of an appeal, oldest first: the appeal page's history.
CREATE TABLE appeal_events (
    id INTEGER PRIMARY KEY,
    appeal_id INTEGER NOT NULL REFERENCES appeals(id),
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX appeal_events_appeal ON appeal_events (appeal_id, id);

-- Feedback and coaching notes on an agent's card of a period; the agent acknowledges.
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    kind TEXT NOT NULL CHECK (kind IN ('feedback', 'coaching')),
    body TEXT NOT NULL CHECK (length(trim(body)) > 0),
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at TEXT
);
CREATE INDEX notes_period_employee ON notes (period, employee_id);

-- In-app notifications, one row per recipient user.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);

-- The audit page filters by employee and period. Both are derived, at append time, from the
-- hashed content (detail.employee_id; the subject when it is a period, else detail.period), so
-- they add no unverifiable information; backfilled here for older entries.
ALTER TABLE audit_log ADD COLUMN employee_id INTEGER;
ALTER TABLE audit_log ADD COLUMN period TEXT;
UPDATE audit_log SET
    employee_id = CASE
        WHEN json_valid(detail_json)
             AND json_type(detail_json, '$.employee_id') = 'integer'
        THEN json_extract(detail_json, '$.employee_id') END,
    period = CASE
        WHEN subject GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' THEN subject
        WHEN json_valid(detail_json) AND json_type(detail_json, '$.period') = 'text'
        THEN json_extract(detail_json, '$.period') END;
CREATE INDEX audit_log_employee ON audit_log (employee_id, id);
CREATE INDEX audit_log_period ON audit_log (period, id);
CREATE INDEX audit_log_kind ON audit_log (kind, id);

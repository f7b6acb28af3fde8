-- Period lifecycle (open → computed → in_review → closed) and adjustments.
-- SQLite cannot alter a CHECK constraint, so the periods table is rebuilt; no table references it.
CREATE TABLE periods_new (
    period TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('open', 'computed', 'in_review', 'closed')),
    snapshot_hash TEXT,
    closed_by TEXT,
    closed_at TEXT,
    revision INTEGER NOT NULL DEFAULT 0,
    review_until TEXT
);
INSERT INTO periods_new (period, status, snapshot_hash, closed_by, closed_at, revision)
    SELECT period, status, snapshot_hash, closed_by, closed_at, revision FROM periods;
DROP TABLE periods;
ALTER TABLE periods_new RENAME TO periods;

-- Corrections, entered in an open period (period), optionally for a closed one (corrects).
-- Amounts ×100, exact.
CREATE TABLE adjustments (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    points BIGINT NOT NULL,
    pay BIGINT NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    corrects TEXT
);
CREATE INDEX adjustments_period_employee ON adjustments (period, employee_id);

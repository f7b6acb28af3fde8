-- Period lifecycle (open → computed → in_review → closed) and adjustments.
ALTER TABLE periods DROP CONSTRAINT periods_status_check;
ALTER TABLE periods ADD CONSTRAINT periods_status_check
    CHECK (status IN ('open', 'computed', 'in_review', 'closed'));
ALTER TABLE periods ADD COLUMN review_until DATE;

-- Corrections, entered in an open period (period), optionally for a closed one (corrects).
-- Amounts ×100, exact.
CREATE TABLE adjustments (
    id BIGSERIAL PRIMARY KEY,
    period TEXT NOT NULL,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    points BIGINT NOT NULL,
    pay BIGINT NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    author TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    corrects TEXT
);
CREATE INDEX adjustments_period_employee ON adjustments (period, employee_id);

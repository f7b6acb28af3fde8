-- Issue 4: assessment schemes per position (docs/KPIS.md, "Schemes").

-- The scheme (and optionally the unit price per point, ×100) of one position within a
-- department, for example CALL / "Senior agent". An employee whose `position` matches is
-- scored under it instead of the department's scheme; a NULL price keeps the department's.
-- Saving again replaces it (audited `rules.update` with before and after).
CREATE TABLE position_rules (
    department_id INTEGER NOT NULL REFERENCES departments(id),
    position TEXT NOT NULL CHECK (length(position) > 0),
    scheme_json TEXT NOT NULL,
    unit_price INTEGER CHECK (unit_price >= 0),
    PRIMARY KEY (department_id, position)
);

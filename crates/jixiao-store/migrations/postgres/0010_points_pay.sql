-- Point standards with effective dates and per-department pay rules (docs/KPIS.md, "Points and
-- pay"). A standard applies from its date on; a period is scored with the standards in force
-- on its first day, and a closed period keeps the cards it was computed with. Today's
-- coefficients become each type's first standard, effective from 2000-01-01 (before any data).
CREATE TABLE point_standards (
    id BIGSERIAL PRIMARY KEY,
    type_code TEXT NOT NULL,
    unit TEXT NOT NULL CHECK (unit IN ('per_interaction', 'per_minute', 'per_item')),
    coefficient BIGINT NOT NULL CHECK (coefficient >= 0),
    effective_from DATE NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (type_code, effective_from)
);

INSERT INTO point_standards (type_code, unit, coefficient, effective_from, created_by, created_at)
SELECT code, 'per_interaction', coefficient, DATE '2000-01-01', 'migration 0010', now()
FROM business_types;

-- Money ×100 (fen); the bonus table is the JSON of jixiao_core::pay::BonusTable.
CREATE TABLE pay_rules (
    department_id BIGINT PRIMARY KEY REFERENCES departments(id),
    bonus_base BIGINT NOT NULL CHECK (bonus_base >= 0),
    bonus_table_json TEXT NOT NULL,
    rounding_dp INTEGER NOT NULL CHECK (rounding_dp BETWEEN 0 AND 4),
    budget BIGINT CHECK (budget >= 0)
);

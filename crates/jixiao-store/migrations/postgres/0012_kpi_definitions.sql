-- Custom KPIs as formulas over base measures (docs/KPIS.md, "Custom KPIs"). A definition is
-- never edited: saving a code again inserts version n + 1, so a closed period's cards, which
-- name the version they used, can always be explained by the definition they were computed
-- with. The enums are stored as their serde codes (unit, direction, class, div_zero).
CREATE TABLE kpi_definitions (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    formula TEXT NOT NULL,
    div_zero TEXT NOT NULL,
    unit TEXT NOT NULL,
    direction TEXT NOT NULL,
    class TEXT NOT NULL CHECK (class IN ('workload', 'quality')),
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (code, version)
);

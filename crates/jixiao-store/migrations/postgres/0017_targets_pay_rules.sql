-- Issue 4: targets and their decomposition, department heads, reward and penalty rules
-- (docs/KPIS.md, "Targets" and "Rewards and penalties").

-- The employee who heads a department: scored on the department's attainment of its targets.
ALTER TABLE departments ADD COLUMN head_employee_id BIGINT REFERENCES employees(id);

-- A center target of one additive measure for one period; `whole` ×100. The plan (split
-- method per level, explicit values) is the JSON of jixiao_store::TargetPlan, kept so the page
-- can show how the split was made. Setting it again replaces it (audited).
CREATE TABLE targets (
    id BIGSERIAL PRIMARY KEY,
    period TEXT NOT NULL,
    measure TEXT NOT NULL,
    whole BIGINT NOT NULL CHECK (whole >= 0),
    dp INTEGER NOT NULL CHECK (dp BETWEEN 0 AND 2),
    plan_json TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (period, measure)
);

-- Every unit's share: `unit` is center, department:N, team:N or agent:TEAM:EMPLOYEE; `target` ×100.
CREATE TABLE target_allocations (
    target_id BIGINT NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    parent TEXT,
    depth INTEGER NOT NULL CHECK (depth >= 0),
    position INTEGER NOT NULL,
    target BIGINT NOT NULL CHECK (target >= 0),
    PRIMARY KEY (target_id, unit)
);

-- Reward and penalty rules applied as payslip lines: the rule is the JSON of
-- jixiao_core::pay::PayAdjustmentRule (amounts as exact decimal strings). A department of
-- NULL applies to every department. Rules are never edited: retiring one sets retired_at.
CREATE TABLE pay_adjustment_rules (
    id BIGSERIAL PRIMARY KEY,
    department_id BIGINT REFERENCES departments(id),
    rule_json TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    retired_by TEXT,
    retired_at TIMESTAMPTZ
);

-- Behaviour ratings, user deactivation and competitions (issue 5).

-- A supervisor's rating of an agent's behaviour for one team segment of a period, on the
-- anchored 1–5 scale (jixiao_core::behaviour). The compute feeds the level's score into the
-- segment's measures (behaviour_score_sum, behaviour_ratings), so a scheme scores it like any
-- library KPI. One rating per (period, employee, team): rating again replaces it (audited).
CREATE TABLE behaviour_ratings (
    period TEXT NOT NULL,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    team_id BIGINT NOT NULL REFERENCES teams(id),
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    rated_by TEXT NOT NULL,
    rated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (period, employee_id, team_id)
);

-- A deactivated user can neither sign in nor use a session or token; the row stays so the
-- audit trail and old tokens still name it.
ALTER TABLE users ADD COLUMN deactivated_at TIMESTAMPTZ;

-- A competition ranks teams or agents on points, the total score or a library KPI over a
-- range of periods, computed from stored scorecards (sums, never averaged ratios).
CREATE TABLE competitions (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    metric TEXT NOT NULL,
    first_period TEXT NOT NULL,
    last_period TEXT NOT NULL,
    entrant_kind TEXT NOT NULL CHECK (entrant_kind IN ('team', 'agent')),
    higher_is_better BOOLEAN NOT NULL,
    prize TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (first_period <= last_period)
);
CREATE TABLE competition_entrants (
    competition_id BIGINT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    entrant_id BIGINT NOT NULL,
    PRIMARY KEY (competition_id, entrant_id)
);

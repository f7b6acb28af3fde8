-- Issue 4: the month's call measures per (period, employee, team, business type), kept
-- current by imports so that a recompute after a few late calls reads the sums instead of
-- every call of the month (tallies/call_sums.rs says when they are trusted and how imports
-- keep them). Employee and team are 0 when a call has none.
CREATE TABLE call_sums (
    period TEXT NOT NULL,
    employee_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    business_type TEXT NOT NULL,
    offered BIGINT NOT NULL,
    handled BIGINT NOT NULL,
    transferred BIGINT NOT NULL,
    abandoned BIGINT NOT NULL,
    short_abandoned BIGINT NOT NULL,
    within_sl BIGINT NOT NULL,
    wait_secs BIGINT NOT NULL,
    talk_secs BIGINT NOT NULL,
    hold_secs BIGINT NOT NULL,
    acw_secs BIGINT NOT NULL,
    judged BIGINT NOT NULL,
    repeats BIGINT NOT NULL,
    PRIMARY KEY (period, employee_id, team_id, business_type)
);

-- The basis a period's sums were made at (thresholds, the counter below, the revisions of
-- the period and of the periods its repeat window reaches).
CREATE TABLE call_sums_state (
    period TEXT PRIMARY KEY,
    basis TEXT NOT NULL
);

-- Bumped by every change the revisions do not catch: memberships (which team a call counts
-- in) and deleted calls.
CREATE TABLE call_sums_inputs (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO call_sums_inputs (id, generation) VALUES (1, 0);
CREATE FUNCTION call_sums_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE call_sums_inputs SET generation = generation + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER call_sums_memberships AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON memberships FOR EACH STATEMENT EXECUTE FUNCTION call_sums_bump();
CREATE TRIGGER call_sums_calls AFTER DELETE OR TRUNCATE ON calls FOR EACH STATEMENT EXECUTE FUNCTION call_sums_bump();

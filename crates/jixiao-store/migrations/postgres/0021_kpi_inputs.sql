-- Issue 4: a month close freezes the period's computed scorecards without rescanning its
-- records when nothing they were computed from has changed since (service::close).
--
-- `kpi_inputs.generation` counts changes to every table a computation may read, bumped by the
-- triggers below in the transaction of the change itself. Records (calls, surveys, QA
-- reviews, tickets, chats, orders, attendance, work records) are written by imports, which
-- bump `periods.revision` of every period they touch in their transaction; their triggers
-- only catch deletions. Every table of the database but those listed in
-- `tallies/basis.rs::UNWATCHED` must carry its trigger (records: the deletion one), or no
-- close takes the shortcut: a new table without one costs speed, never a stale snapshot.
CREATE TABLE kpi_inputs (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO kpi_inputs (id, generation) VALUES (1, 0);

-- What a period's saved scorecards were computed from (binary version, generation, the
-- revisions of the period and of the periods its repeat window reaches) and their snapshot
-- hash, written by a recompute after saving them.
CREATE TABLE period_cards_basis (
    period TEXT PRIMARY KEY,
    basis TEXT NOT NULL,
    cards_hash TEXT NOT NULL
);

CREATE FUNCTION kpi_inputs_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE kpi_inputs SET generation = generation + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER kpi_inputs_adjustments AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adjustments FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_appeal_events AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appeal_events FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_appeals AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appeals FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_attendance AFTER DELETE OR TRUNCATE ON attendance FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_behaviour_ratings AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON behaviour_ratings FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_business_types AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON business_types FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_calls AFTER DELETE OR TRUNCATE ON calls FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_chat_sessions AFTER DELETE OR TRUNCATE ON chat_sessions FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_competition_entrants AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON competition_entrants FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_competitions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON competitions FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_complaint_attributions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint_attributions FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_complaint_links AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint_links FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_complaints AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaints FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_department_rules AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON department_rules FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_departments AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON departments FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_employee_aliases AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON employee_aliases FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_employees AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON employees FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_findings AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON findings FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_journey_lines AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON journey_lines FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_journey_participants AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON journey_participants FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_journey_ratings AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON journey_ratings FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_journey_stages AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON journey_stages FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_journey_survey_links AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON journey_survey_links FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_journey_surveys AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON journey_surveys FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_journeys AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON journeys FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_kpi_definitions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi_definitions FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_kpi_thresholds AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi_thresholds FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_mapping_profiles AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON mapping_profiles FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_memberships AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON memberships FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_notes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON notes FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_orders AFTER DELETE OR TRUNCATE ON orders FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_pay_adjustment_rules AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pay_adjustment_rules FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_pay_rules AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pay_rules FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_point_standards AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON point_standards FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_position_rules AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON position_rules FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_qa_reviews AFTER DELETE OR TRUNCATE ON qa_reviews FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_surveys AFTER DELETE OR TRUNCATE ON surveys FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_target_allocations AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON target_allocations FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_targets AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON targets FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_teams AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON teams FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_tickets AFTER DELETE OR TRUNCATE ON tickets FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();
CREATE TRIGGER kpi_inputs_work_records AFTER DELETE OR TRUNCATE ON work_records FOR EACH STATEMENT EXECUTE FUNCTION kpi_inputs_bump();

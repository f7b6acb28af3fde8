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
CREATE TRIGGER kpi_inputs_adjustments_ins AFTER INSERT ON adjustments BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_adjustments_upd AFTER UPDATE ON adjustments BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_adjustments_del AFTER DELETE ON adjustments BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_appeal_events_ins AFTER INSERT ON appeal_events BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_appeal_events_upd AFTER UPDATE ON appeal_events BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_appeal_events_del AFTER DELETE ON appeal_events BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_appeals_ins AFTER INSERT ON appeals BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_appeals_upd AFTER UPDATE ON appeals BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_appeals_del AFTER DELETE ON appeals BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_attendance_del AFTER DELETE ON attendance BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_behaviour_ratings_ins AFTER INSERT ON behaviour_ratings BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_behaviour_ratings_upd AFTER UPDATE ON behaviour_ratings BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_behaviour_ratings_del AFTER DELETE ON behaviour_ratings BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_business_types_ins AFTER INSERT ON business_types BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_business_types_upd AFTER UPDATE ON business_types BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_business_types_del AFTER DELETE ON business_types BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_calls_del AFTER DELETE ON calls BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_chat_sessions_del AFTER DELETE ON chat_sessions BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_competition_entrants_ins AFTER INSERT ON competition_entrants BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_competition_entrants_upd AFTER UPDATE ON competition_entrants BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_competition_entrants_del AFTER DELETE ON competition_entrants BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_competitions_ins AFTER INSERT ON competitions BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_competitions_upd AFTER UPDATE ON competitions BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_competitions_del AFTER DELETE ON competitions BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_complaint_attributions_ins AFTER INSERT ON complaint_attributions BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_complaint_attributions_upd AFTER UPDATE ON complaint_attributions BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_complaint_attributions_del AFTER DELETE ON complaint_attributions BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_complaint_links_ins AFTER INSERT ON complaint_links BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_complaint_links_upd AFTER UPDATE ON complaint_links BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_complaint_links_del AFTER DELETE ON complaint_links BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_complaints_ins AFTER INSERT ON complaints BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_complaints_upd AFTER UPDATE ON complaints BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_complaints_del AFTER DELETE ON complaints BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_department_rules_ins AFTER INSERT ON department_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_department_rules_upd AFTER UPDATE ON department_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_department_rules_del AFTER DELETE ON department_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_departments_ins AFTER INSERT ON departments BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_departments_upd AFTER UPDATE ON departments BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_departments_del AFTER DELETE ON departments BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_employee_aliases_ins AFTER INSERT ON employee_aliases BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_employee_aliases_upd AFTER UPDATE ON employee_aliases BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_employee_aliases_del AFTER DELETE ON employee_aliases BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_employees_ins AFTER INSERT ON employees BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_employees_upd AFTER UPDATE ON employees BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_employees_del AFTER DELETE ON employees BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_findings_ins AFTER INSERT ON findings BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_findings_upd AFTER UPDATE ON findings BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_findings_del AFTER DELETE ON findings BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_lines_ins AFTER INSERT ON journey_lines BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_lines_upd AFTER UPDATE ON journey_lines BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_lines_del AFTER DELETE ON journey_lines BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_participants_ins AFTER INSERT ON journey_participants BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_participants_upd AFTER UPDATE ON journey_participants BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_participants_del AFTER DELETE ON journey_participants BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_ratings_ins AFTER INSERT ON journey_ratings BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_ratings_upd AFTER UPDATE ON journey_ratings BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_ratings_del AFTER DELETE ON journey_ratings BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_stages_ins AFTER INSERT ON journey_stages BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_stages_upd AFTER UPDATE ON journey_stages BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_stages_del AFTER DELETE ON journey_stages BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_survey_links_ins AFTER INSERT ON journey_survey_links BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_survey_links_upd AFTER UPDATE ON journey_survey_links BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_survey_links_del AFTER DELETE ON journey_survey_links BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_surveys_ins AFTER INSERT ON journey_surveys BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_surveys_upd AFTER UPDATE ON journey_surveys BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journey_surveys_del AFTER DELETE ON journey_surveys BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journeys_ins AFTER INSERT ON journeys BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journeys_upd AFTER UPDATE ON journeys BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_journeys_del AFTER DELETE ON journeys BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_kpi_definitions_ins AFTER INSERT ON kpi_definitions BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_kpi_definitions_upd AFTER UPDATE ON kpi_definitions BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_kpi_definitions_del AFTER DELETE ON kpi_definitions BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_kpi_thresholds_ins AFTER INSERT ON kpi_thresholds BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_kpi_thresholds_upd AFTER UPDATE ON kpi_thresholds BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_kpi_thresholds_del AFTER DELETE ON kpi_thresholds BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_mapping_profiles_ins AFTER INSERT ON mapping_profiles BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_mapping_profiles_upd AFTER UPDATE ON mapping_profiles BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_mapping_profiles_del AFTER DELETE ON mapping_profiles BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_memberships_ins AFTER INSERT ON memberships BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_memberships_upd AFTER UPDATE ON memberships BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_memberships_del AFTER DELETE ON memberships BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_notes_ins AFTER INSERT ON notes BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_notes_upd AFTER UPDATE ON notes BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_notes_del AFTER DELETE ON notes BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_orders_del AFTER DELETE ON orders BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_pay_adjustment_rules_ins AFTER INSERT ON pay_adjustment_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_pay_adjustment_rules_upd AFTER UPDATE ON pay_adjustment_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_pay_adjustment_rules_del AFTER DELETE ON pay_adjustment_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_pay_rules_ins AFTER INSERT ON pay_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_pay_rules_upd AFTER UPDATE ON pay_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_pay_rules_del AFTER DELETE ON pay_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_point_standards_ins AFTER INSERT ON point_standards BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_point_standards_upd AFTER UPDATE ON point_standards BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_point_standards_del AFTER DELETE ON point_standards BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_position_rules_ins AFTER INSERT ON position_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_position_rules_upd AFTER UPDATE ON position_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_position_rules_del AFTER DELETE ON position_rules BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_qa_reviews_del AFTER DELETE ON qa_reviews BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_surveys_del AFTER DELETE ON surveys BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_target_allocations_ins AFTER INSERT ON target_allocations BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_target_allocations_upd AFTER UPDATE ON target_allocations BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_target_allocations_del AFTER DELETE ON target_allocations BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_targets_ins AFTER INSERT ON targets BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_targets_upd AFTER UPDATE ON targets BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_targets_del AFTER DELETE ON targets BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_teams_ins AFTER INSERT ON teams BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_teams_upd AFTER UPDATE ON teams BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_teams_del AFTER DELETE ON teams BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_tickets_del AFTER DELETE ON tickets BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;
CREATE TRIGGER kpi_inputs_work_records_del AFTER DELETE ON work_records BEGIN UPDATE kpi_inputs SET generation = generation + 1; END;

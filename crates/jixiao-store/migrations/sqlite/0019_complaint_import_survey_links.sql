-- Issue 6, the last two gaps: complaints imported from a file carry their source reference
-- (unique, so re-importing a file registers nothing twice), and online survey links: a
-- single-use token (stored only as its SHA-256) a customer answers a journey's survey with.
ALTER TABLE complaints ADD COLUMN reference TEXT;
CREATE UNIQUE INDEX complaints_reference ON complaints(reference);

CREATE TABLE journey_survey_links (
    token_hash TEXT PRIMARY KEY,
    journey_id INTEGER NOT NULL REFERENCES journeys(id),
    proxy_employee_id INTEGER REFERENCES employees(id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    spent_at TEXT
);
CREATE INDEX journey_survey_links_journey ON journey_survey_links(journey_id);

-- Fairness workflows (issue 6, part 1): service journeys with per-stage surveys, complaints
-- with cross-checked attributions, and the findings both give (tallied into scorecards).
-- Nothing here is deleted: attributions are marked removed, findings overturned.

CREATE TABLE journey_lines (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    threshold INTEGER NOT NULL CHECK (threshold BETWEEN 1 AND 5),
    tolerance_days INTEGER NOT NULL DEFAULT 0 CHECK (tolerance_days BETWEEN 0 AND 30),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE journey_stages (
    id INTEGER PRIMARY KEY,
    line_id INTEGER NOT NULL REFERENCES journey_lines(id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('calls', 'tickets', 'chats', 'work', 'none')),
    UNIQUE (line_id, code)
);

CREATE TABLE journeys (
    id INTEGER PRIMARY KEY,
    line_id INTEGER NOT NULL REFERENCES journey_lines(id),
    customer_id TEXT NOT NULL,
    served_on TEXT NOT NULL,
    reference TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX journeys_served_on ON journeys(served_on);

-- record_ref: 'kind:source:record_id' when taken from the records, NULL when entered by hand.
CREATE TABLE journey_participants (
    id INTEGER PRIMARY KEY,
    journey_id INTEGER NOT NULL REFERENCES journeys(id),
    stage_id INTEGER NOT NULL REFERENCES journey_stages(id),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    record_ref TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (journey_id, stage_id, employee_id)
);

CREATE TABLE journey_surveys (
    id INTEGER PRIMARY KEY,
    journey_id INTEGER NOT NULL UNIQUE REFERENCES journeys(id),
    proxy_employee_id INTEGER REFERENCES employees(id),
    channel TEXT NOT NULL CHECK (channel IN ('online', 'call')),
    surveyed_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE TABLE journey_ratings (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES journey_surveys(id),
    stage_id INTEGER NOT NULL REFERENCES journey_stages(id),
    rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    problem TEXT,
    comment TEXT,
    UNIQUE (survey_id, stage_id)
);

CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    customer_id TEXT,
    occurred_at TEXT NOT NULL,
    summary TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    journey_id INTEGER REFERENCES journeys(id),
    status TEXT NOT NULL CHECK (status IN
        ('registered', 'investigating', 'upheld', 'partly_upheld', 'not_upheld')),
    decision_reason TEXT,
    decided_by TEXT,
    decided_at TEXT,
    registered_by TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE INDEX complaints_status ON complaints(status);

-- Interactions a complaint is about: kind 'calls', 'tickets' or 'chats' and the record's key.
CREATE TABLE complaint_links (
    id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    kind TEXT NOT NULL CHECK (kind IN ('calls', 'tickets', 'chats')),
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    linked_by TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    UNIQUE (complaint_id, kind, source, record_id)
);

CREATE TABLE complaint_attributions (
    id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    stage_id INTEGER NOT NULL REFERENCES journey_stages(id),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    service_at TEXT NOT NULL,
    service_date TEXT NOT NULL,
    note TEXT,
    check_result TEXT NOT NULL,
    upheld INTEGER NOT NULL DEFAULT 0,
    resolution TEXT,
    resolved_by TEXT,
    resolved_at TEXT,
    removed INTEGER NOT NULL DEFAULT 0,
    removed_reason TEXT,
    removed_by TEXT,
    removed_at TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX complaint_attributions_complaint ON complaint_attributions(complaint_id);
CREATE INDEX complaint_attributions_employee ON complaint_attributions(employee_id, service_date);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL CHECK (origin IN ('survey', 'complaint')),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    period TEXT NOT NULL,
    date TEXT NOT NULL,
    journey_id INTEGER REFERENCES journeys(id),
    stage_id INTEGER REFERENCES journey_stages(id),
    complaint_id INTEGER REFERENCES complaints(id),
    attribution_id INTEGER REFERENCES complaint_attributions(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'overturned')),
    created_at TEXT NOT NULL,
    overturned_by TEXT,
    overturned_at TEXT,
    overturned_reason TEXT
);
CREATE INDEX findings_period_employee ON findings(period, employee_id);

-- Jixiao schema, SQLite dialect. Money and coefficients are scaled integers:
-- coefficient x10^4, unit price and pay x10^2, QA score x10^2, scorecard points x10^4.
-- Dates are ISO text ('YYYY-MM-DD'), so text comparison is date comparison.

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    employee_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position TEXT NOT NULL,
    hire_date TEXT NOT NULL
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    supervisor_id INTEGER REFERENCES employees(id)
);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    team_id INTEGER NOT NULL REFERENCES teams(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX memberships_employee ON memberships(employee_id, valid_from);

CREATE TABLE business_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    coefficient INTEGER NOT NULL
);

CREATE TABLE department_rules (
    department_id INTEGER PRIMARY KEY REFERENCES departments(id),
    scheme_json TEXT NOT NULL,
    unit_price INTEGER NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    employee_id INTEGER REFERENCES employees(id),
    locale TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    rows_total INTEGER NOT NULL,
    inserted INTEGER NOT NULL DEFAULT 0,
    replaced INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE import_rejects (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    row_no INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX import_rejects_import ON import_rejects(import_id, row_no);

-- The record tables carry no foreign keys: the store resolves employee numbers and business
-- types itself (unknown ones become rejects), nothing is ever deleted from employees or
-- business_types, and per-row FK checks would halve bulk-import throughput.
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date TEXT NOT NULL,
    started_at TEXT NOT NULL,
    employee_id INTEGER,
    business_type TEXT NOT NULL,
    customer_id TEXT,
    outcome TEXT NOT NULL,
    wait_secs INTEGER NOT NULL,
    talk_secs INTEGER NOT NULL,
    hold_secs INTEGER NOT NULL,
    acw_secs INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX calls_period_employee ON calls(period, employee_id);

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date TEXT NOT NULL,
    call_record_id TEXT NOT NULL,
    employee_id INTEGER NOT NULL,
    score INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX surveys_period_employee ON surveys(period, employee_id);

CREATE TABLE qa_reviews (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date TEXT NOT NULL,
    employee_id INTEGER NOT NULL,
    reviewer_no TEXT,
    score INTEGER NOT NULL,
    critical_failure INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX qa_reviews_period_employee ON qa_reviews(period, employee_id);

CREATE TABLE periods (
    period TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    snapshot_hash TEXT,
    closed_by TEXT,
    closed_at TEXT,
    revision INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE scorecards (
    period TEXT NOT NULL,
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    team_id INTEGER NOT NULL REFERENCES teams(id),
    employee_no TEXT NOT NULL,
    total INTEGER,
    grade TEXT,
    rank_in_team INTEGER,
    points INTEGER NOT NULL,
    variable_pay INTEGER NOT NULL,
    handled INTEGER NOT NULL,
    card_json TEXT NOT NULL,
    PRIMARY KEY (period, team_id, employee_id)
);
CREATE INDEX scorecards_period_employee ON scorecards(period, employee_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Jixiao schema, PostgreSQL dialect. Money and coefficients are scaled BIGINTs (as in SQLite):
-- coefficient x10^4, unit price and pay x10^2, QA score x10^2, scorecard points x10^4.
-- every integer is BIGINT so that Rust i64 decodes on both backends.

CREATE TABLE departments (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE employees (
    id BIGSERIAL PRIMARY KEY,
    employee_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position TEXT NOT NULL,
    hire_date DATE NOT NULL
);

CREATE TABLE teams (
    id BIGSERIAL PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    supervisor_id BIGINT REFERENCES employees(id)
);

CREATE TABLE memberships (
    id BIGSERIAL PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    team_id BIGINT NOT NULL REFERENCES teams(id),
    valid_from DATE NOT NULL,
    valid_to DATE,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX memberships_employee ON memberships(employee_id, valid_from);

CREATE TABLE business_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    coefficient BIGINT NOT NULL
);

CREATE TABLE department_rules (
    department_id BIGINT PRIMARY KEY REFERENCES departments(id),
    scheme_json TEXT NOT NULL,
    unit_price BIGINT NOT NULL
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    employee_id BIGINT REFERENCES employees(id),
    locale TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);

CREATE TABLE imports (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    file_size BIGINT NOT NULL,
    rows_total BIGINT NOT NULL,
    inserted BIGINT NOT NULL DEFAULT 0,
    replaced BIGINT NOT NULL DEFAULT 0,
    unchanged BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    imported_by TEXT NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE import_rejects (
    id BIGSERIAL PRIMARY KEY,
    import_id BIGINT NOT NULL REFERENCES imports(id),
    row_no BIGINT NOT NULL,
    column_name TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX import_rejects_import ON import_rejects(import_id, row_no);

-- The record tables carry no foreign keys: the store resolves employee numbers and business
-- types itself (unknown ones become rejects), nothing is ever deleted from employees or
-- business_types, and per-row FK checks would halve bulk-import throughput.
CREATE TABLE calls (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date DATE NOT NULL,
    started_at TIMESTAMP NOT NULL,
    employee_id BIGINT,
    business_type TEXT NOT NULL,
    customer_id TEXT,
    outcome TEXT NOT NULL,
    wait_secs BIGINT NOT NULL,
    talk_secs BIGINT NOT NULL,
    hold_secs BIGINT NOT NULL,
    acw_secs BIGINT NOT NULL,
    import_id BIGINT NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX calls_period_employee ON calls(period, employee_id);

CREATE TABLE surveys (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date DATE NOT NULL,
    call_record_id TEXT NOT NULL,
    employee_id BIGINT NOT NULL,
    score BIGINT NOT NULL,
    import_id BIGINT NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX surveys_period_employee ON surveys(period, employee_id);

CREATE TABLE qa_reviews (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date DATE NOT NULL,
    employee_id BIGINT NOT NULL,
    reviewer_no TEXT,
    score BIGINT NOT NULL,
    critical_failure BOOLEAN NOT NULL,
    import_id BIGINT NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX qa_reviews_period_employee ON qa_reviews(period, employee_id);

CREATE TABLE periods (
    period TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    snapshot_hash TEXT,
    closed_by TEXT,
    closed_at TIMESTAMPTZ,
    revision BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE scorecards (
    period TEXT NOT NULL,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    team_id BIGINT NOT NULL REFERENCES teams(id),
    employee_no TEXT NOT NULL,
    total BIGINT,
    grade TEXT,
    rank_in_team BIGINT,
    points BIGINT NOT NULL,
    variable_pay BIGINT NOT NULL,
    handled BIGINT NOT NULL,
    card_json TEXT NOT NULL,
    PRIMARY KEY (period, team_id, employee_id)
);
CREATE INDEX scorecards_period_employee ON scorecards(period, employee_id);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

-- Record kinds beyond calls, surveys and QA (docs/IMPORT.md): interactions gain a channel, a
-- queue and a transfer target; tickets, chat sessions, orders, attendance and work records get
-- a table each. Like the first record tables: keyed by (source, record_id), `period` and `date`
-- picked by the kind's date, employees resolved by the store (no foreign keys, see 0001), and
-- money and quantities as BIGINT ×10² (SQLite has no exact decimal type).

-- Existing rows are phone calls with no queue or transfer target on record.
ALTER TABLE calls ADD COLUMN channel TEXT NOT NULL DEFAULT 'voice';
ALTER TABLE calls ADD COLUMN queue TEXT;
ALTER TABLE calls ADD COLUMN transfer_to TEXT;

-- Period and date by created_at: see TicketRecord for why not by resolution.
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    first_response_at TEXT,
    resolved_at TEXT,
    closed_at TEXT,
    reopen_count INTEGER NOT NULL,
    reassignment_count INTEGER NOT NULL,
    priority TEXT NOT NULL,
    category TEXT NOT NULL,
    employee_id INTEGER,
    sla_met INTEGER,
    customer_id TEXT,
    business_type TEXT,
    import_id INTEGER NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX tickets_period_employee ON tickets(period, employee_id);

CREATE TABLE chat_sessions (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date TEXT NOT NULL,
    started_at TEXT NOT NULL,
    employee_id INTEGER NOT NULL,
    customer_id TEXT NOT NULL,
    shop TEXT,
    customer_messages INTEGER NOT NULL,
    agent_replies INTEGER NOT NULL,
    first_response_secs INTEGER,
    total_response_secs INTEGER NOT NULL,
    is_inquiry INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX chat_sessions_period_employee ON chat_sessions(period, employee_id);
-- Order attribution looks up a customer's recent sessions.
CREATE INDEX chat_sessions_customer ON chat_sessions(customer_id, started_at);

-- amount and refunded_amount in fen (×10²).
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    paid_at TEXT,
    amount INTEGER NOT NULL,
    refunded_amount INTEGER NOT NULL,
    customer_id TEXT NOT NULL,
    employee_id INTEGER,
    session_record_id TEXT,
    import_id INTEGER NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX orders_period_employee ON orders(period, employee_id);

CREATE TABLE attendance (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date TEXT NOT NULL,
    employee_id INTEGER NOT NULL,
    scheduled_mins INTEGER NOT NULL,
    worked_mins INTEGER NOT NULL,
    absent_mins INTEGER NOT NULL,
    late_mins INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX attendance_period_employee ON attendance(period, employee_id);

-- quantity ×10².
CREATE TABLE work_records (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    period TEXT NOT NULL,
    date TEXT NOT NULL,
    employee_id INTEGER NOT NULL,
    work_type TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    note TEXT,
    import_id INTEGER NOT NULL,
    UNIQUE (source, record_id)
);
CREATE INDEX work_records_period_employee ON work_records(period, employee_id);

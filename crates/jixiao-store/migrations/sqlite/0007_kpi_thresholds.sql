-- The thresholds that decide some KPI measures when records are tallied (docs/KPIS.md): the
-- service-level threshold (answered within it, inclusive), the short-abandon threshold
-- (abandoned in less than it) and the repeat-contact window of FCR. One row, the documented
-- defaults, editable later; a closed period keeps the cards it was computed with.
CREATE TABLE kpi_thresholds (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    service_level_secs INTEGER NOT NULL CHECK (service_level_secs >= 0),
    short_abandon_secs INTEGER NOT NULL CHECK (short_abandon_secs >= 0),
    repeat_window_days INTEGER NOT NULL CHECK (repeat_window_days >= 0)
);
INSERT INTO kpi_thresholds (id, service_level_secs, short_abandon_secs, repeat_window_days)
VALUES (1, 20, 5, 7);

-- FCR looks up each customer's next contact.
CREATE INDEX calls_customer ON calls(customer_id, started_at);
-- 询单转化率 looks up the buyer's paid orders credited to the agent.
CREATE INDEX orders_customer ON orders(customer_id, employee_id);

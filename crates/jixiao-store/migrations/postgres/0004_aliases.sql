-- Identity (docs/IMPORT.md, "Identity"): each source system names agents its own way, so an
-- employee carries aliases per source. A record whose agent is neither an employee number nor
-- an alias of its source is held, not rejected, until an admin maps the alias; then it lands
-- through the normal upsert path and counts.
CREATE TABLE employee_aliases (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    alias TEXT NOT NULL,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    UNIQUE (source, alias)
);
CREATE INDEX employee_aliases_employee ON employee_aliases(employee_id);

-- kind is the record's table (calls, surveys, qa_reviews …); payload is the record as JSON.
-- One row per record key, so importing the same file again does not hold it twice; a new
-- version of the record replaces the payload and import_id. When it was held is that import's
-- imported_at, so it is not stored twice.
CREATE TABLE held_records (
    id BIGSERIAL PRIMARY KEY,
    import_id BIGINT NOT NULL REFERENCES imports(id),
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    alias TEXT NOT NULL,
    row_no BIGINT NOT NULL,
    period TEXT NOT NULL,
    date DATE NOT NULL,
    payload TEXT NOT NULL,
    UNIQUE (kind, source, record_id)
);
CREATE INDEX held_records_alias ON held_records(source, alias);

ALTER TABLE imports ADD COLUMN held BIGINT NOT NULL DEFAULT 0;

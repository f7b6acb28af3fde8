-- Strict or lenient imports, their mapping profile (lineage) and their outcome, plus the
-- background import jobs of the web upload (see docs/IMPORT.md, "Background imports").
-- Existing imports were lenient and landed.
ALTER TABLE imports ADD COLUMN mode TEXT NOT NULL DEFAULT 'lenient';
ALTER TABLE imports ADD COLUMN profile TEXT;
ALTER TABLE imports ADD COLUMN status TEXT NOT NULL DEFAULT 'done';

-- One row per uploaded file, written outside the import's transaction so that any instance
-- sharing the database can show its progress. status: queued | running | done | failed |
-- refused; stage: parsing | writing | recomputing while running. A running row whose
-- updated_at stops moving belongs to a process that died: it is shown as interrupted.
CREATE TABLE import_jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    stage TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    import_id INTEGER REFERENCES imports(id),
    error TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX import_jobs_created_by ON import_jobs(created_by, id);

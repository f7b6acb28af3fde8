-- Which import a record's previous version came from, set when an import replaces a record
-- with different content (the upsert's DO UPDATE), so every import can list exactly which
-- records it changed. NULL for a record never replaced.
ALTER TABLE calls ADD COLUMN previous_import_id BIGINT;
ALTER TABLE surveys ADD COLUMN previous_import_id BIGINT;
ALTER TABLE qa_reviews ADD COLUMN previous_import_id BIGINT;
ALTER TABLE tickets ADD COLUMN previous_import_id BIGINT;
ALTER TABLE chat_sessions ADD COLUMN previous_import_id BIGINT;
ALTER TABLE orders ADD COLUMN previous_import_id BIGINT;
ALTER TABLE attendance ADD COLUMN previous_import_id BIGINT;
ALTER TABLE work_records ADD COLUMN previous_import_id BIGINT;

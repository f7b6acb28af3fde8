-- Issue 4: PostgreSQL's scorecards compress their card JSON with lz4 from this migration on
-- (see migrations/postgres/0023). SQLite stores text uncompressed: nothing to change; the
-- file keeps both backends' migration lists alike.
SELECT 1;

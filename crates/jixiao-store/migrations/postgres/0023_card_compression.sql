-- Issue 4: a recompute rewrites every card of the month (about 5 KB of JSON each, 50 MB for
-- 10,000 agents). PostgreSQL compresses values over 2 KB with pglz by default, which took
-- about 0.3 s of the 0.7 s that COPYing 10,000 cards cost; lz4 compresses at several times
-- that speed (docs/PERFORMANCE.md, session 6). Values already stored keep their compression
-- until rewritten, and both read back the same.
ALTER TABLE scorecards ALTER COLUMN card_json SET COMPRESSION lz4;

-- The center's queue and library measures of a period, saved when its scorecards are saved
-- (recompute, close), so the overview reads one row instead of scanning the month's calls,
-- and a closed period's center tiles stay as they were at closing.
CREATE TABLE period_center_totals (
    period TEXT PRIMARY KEY,
    totals_json TEXT NOT NULL
);

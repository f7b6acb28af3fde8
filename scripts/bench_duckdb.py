#!/usr/bin/env python3
"""DuckDB side of `jixiao bench`: load the same canonical CSV files and compute the same month KPIs.

`jixiao bench --duckdb` writes its generated files and runs this script in the same run, so
the numbers in docs/PERFORMANCE.md compare Jixiao and DuckDB on one machine at one moment.
DuckDB comes from PyPI (`pip install duckdb`); it is a yardstick, never part of Jixiao.

    python3 scripts/bench_duckdb.py --calls calls.csv [--surveys s.csv] [--qa q.csv] \
        [--members members.csv] [--threads 2]

Prints one JSON object:
  load_s, rows, rows_per_s      reading the calls CSV into a DuckDB table (in memory)
  kpi_s, segments               the month's per-agent, per-team KPI tallies from loaded tables
                                (handled, handle and wait seconds, service level, transfers
                                per business type; first-contact resolution with the 7-day
                                repeat window; surveys top-2-box, QA; the center's queue):
                                the tallies Jixiao's month close computes
  peak_rss_mb                   the process's peak resident memory
"""

import argparse
import json
import resource
import sys
import time

CALL_TYPES = {
    "source": "VARCHAR",
    "record_id": "VARCHAR",
    "started_at": "TIMESTAMP",
    "employee_no": "VARCHAR",
    "business_type": "VARCHAR",
    "customer_id": "VARCHAR",
    "outcome": "VARCHAR",
    "wait_secs": "INTEGER",
    "talk_secs": "INTEGER",
    "hold_secs": "INTEGER",
    "acw_secs": "INTEGER",
}


def read_csv(path, types=None):
    """A read_csv call over a file with a header; columns are found by name, as Jixiao does."""
    spec = ""
    if types:
        spec = ", types = {" + ", ".join(f"'{k}': '{v}'" for k, v in types.items()) + "}"
    return f"read_csv('{path}', header = true{spec})"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calls", required=True)
    p.add_argument("--surveys")
    p.add_argument("--qa")
    p.add_argument("--members", help="employee_no,team_id,valid_from,valid_to (to may be empty)")
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()

    import duckdb  # imported late so --help works without it

    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {a.threads}")

    t = time.perf_counter()
    con.execute(f"CREATE TABLE calls AS SELECT * FROM {read_csv(a.calls, CALL_TYPES)}")
    load_s = time.perf_counter() - t
    rows = con.execute("SELECT count(*) FROM calls").fetchone()[0]

    if a.surveys:
        con.execute(f"CREATE TABLE surveys AS SELECT * FROM {read_csv(a.surveys)}")
    else:
        con.execute("CREATE TABLE surveys (employee_no VARCHAR, answered_on DATE, score INTEGER)")
    if a.qa:
        con.execute(f"CREATE TABLE qa AS SELECT * FROM {read_csv(a.qa)}")
    else:
        con.execute(
            "CREATE TABLE qa (employee_no VARCHAR, reviewed_on DATE, score DECIMAL(9,2), "
            "critical_failure BOOLEAN)"
        )
    if a.members:
        con.execute(f"CREATE TABLE members AS SELECT * FROM {read_csv(a.members)}")
    else:
        con.execute(
            "CREATE TABLE members AS SELECT DISTINCT employee_no, 0 AS team_id, "
            "DATE '1900-01-01' AS valid_from, NULL::DATE AS valid_to FROM calls "
            "WHERE employee_no IS NOT NULL"
        )

    # The same tallies as jixiao-store's tallies.rs: a record counts in the team the agent
    # belonged to on the record's date.
    kpi_sql = """
    WITH m AS (
      SELECT employee_no, team_id, CAST(valid_from AS DATE) AS f,
             COALESCE(CAST(valid_to AS DATE), DATE '9999-12-31') AS t FROM members),
    c AS (
      SELECT m.employee_no, m.team_id, calls.business_type,
             count(*) AS handled,
             sum(talk_secs) AS talk, sum(hold_secs) AS hold, sum(acw_secs) AS acw,
             count(*) FILTER (WHERE outcome = 'transferred') AS transferred,
             sum(wait_secs) AS wait, count(*) FILTER (WHERE wait_secs <= 20) AS within
      FROM calls JOIN m ON calls.employee_no = m.employee_no
        AND CAST(calls.started_at AS DATE) BETWEEN m.f AND m.t
      WHERE calls.outcome IN ('answered', 'transferred')
      GROUP BY ALL),
    -- A handled contact with a customer id is a repeat when any contact of the customer
    -- starts strictly after it and at most 7 days later (docs/KPIS.md).
    nx AS (
      SELECT employee_no, started_at, outcome, customer_id,
             count(*) OVER (PARTITION BY customer_id ORDER BY started_at
               RANGE BETWEEN INTERVAL 1 MICROSECOND FOLLOWING AND INTERVAL 7 DAY FOLLOWING)
               AS later
      FROM calls WHERE customer_id IS NOT NULL AND customer_id <> ''),
    f AS (
      SELECT m.employee_no, m.team_id,
             count(*) FILTER (WHERE later = 0) AS resolved,
             count(*) FILTER (WHERE later > 0) AS repeats
      FROM nx LEFT JOIN m ON nx.employee_no = m.employee_no
        AND CAST(nx.started_at AS DATE) BETWEEN m.f AND m.t
      WHERE nx.outcome IN ('answered', 'transferred')
      GROUP BY ALL),
    center AS (
      SELECT count(*) FILTER (WHERE outcome IN ('answered', 'transferred', 'abandoned')) AS offered,
             count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
             count(*) FILTER (WHERE outcome = 'abandoned' AND wait_secs < 5) AS short_abandoned
      FROM calls),
    s AS (
      SELECT m.employee_no, m.team_id, count(*) AS surveys,
             count(*) FILTER (WHERE score >= 4) AS top2
      FROM surveys JOIN m ON surveys.employee_no = m.employee_no
        AND CAST(answered_on AS DATE) BETWEEN m.f AND m.t
      GROUP BY ALL),
    q AS (
      SELECT m.employee_no, m.team_id, count(*) AS reviews,
             sum(CASE WHEN CAST(critical_failure AS BOOLEAN) THEN 0 ELSE score END) AS qa_sum
      FROM qa JOIN m ON qa.employee_no = m.employee_no
        AND CAST(reviewed_on AS DATE) BETWEEN m.f AND m.t
      GROUP BY ALL)
    SELECT (SELECT count(*) FROM (SELECT DISTINCT employee_no, team_id FROM c)),
           (SELECT sum(handled) FROM c), (SELECT count(*) FROM s), (SELECT count(*) FROM q),
           (SELECT sum(repeats) FROM f), (SELECT offered FROM center)
    """
    t = time.perf_counter()
    segments, handled, _, _, repeats, _ = con.execute(kpi_sql).fetchone()
    kpi_s = time.perf_counter() - t

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump(
        {
            "duckdb": duckdb.__version__,
            "rows": rows,
            "load_s": round(load_s, 3),
            "rows_per_s": round(rows / load_s) if load_s > 0 else None,
            "kpi_s": round(kpi_s, 3),
            "segments": segments,
            "handled": int(handled or 0),
            "repeat_contacts": int(repeats or 0),
            "peak_rss_mb": round(peak_kb / 1024, 1),
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()

//! SQLite's insert ceiling on this machine: `n` rows of the calls table's shape, generated in
//! the loop, inserted through one prepared statement in one transaction.
//!
//! Modes: `gen` (generate only), `bare` (no key, no index, journal and sync off), `bare_wal`,
//! `key_wal` (the unique (source, record_id) key), `full_wal` (key and both secondary indexes
//! kept current), `deferred_wal` (key; secondary indexes built after the rows, before the
//! commit), `deferred_big` (the same with a 512 MiB cache for the index build).
use rusqlite::Connection;
use std::fmt::Write;
use std::time::Instant;

const SCHEMA: &str = "CREATE TABLE calls (id INTEGER PRIMARY KEY, source TEXT NOT NULL, record_id TEXT NOT NULL, period TEXT NOT NULL, date TEXT NOT NULL, started_at TEXT NOT NULL, employee_id INTEGER, business_type TEXT NOT NULL, customer_id TEXT, outcome TEXT NOT NULL, wait_secs INTEGER NOT NULL, talk_secs INTEGER NOT NULL, hold_secs INTEGER NOT NULL, acw_secs INTEGER NOT NULL, import_id INTEGER NOT NULL, channel TEXT NOT NULL DEFAULT 'voice', queue TEXT, transfer_to TEXT, previous_import_id BIGINT KEYSPEC)";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args[1].as_str();
    let n: u64 = args[2].parse().unwrap();
    let path = format!("/tmp/ceil_{mode}.db");
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(format!("{path}-wal"));
    let conn = Connection::open(&path).unwrap();
    let (journal, key, idx_before, idx_after) = match mode {
        "gen" => ("OFF", false, false, false),
        "bare" => ("OFF", false, false, false),
        "bare_wal" => ("WAL", false, false, false),
        "key_wal" => ("WAL", true, false, false),
        "full_wal" => ("WAL", true, true, false),
        "deferred_wal" | "deferred_big" => ("WAL", true, false, true),
        _ => panic!("mode"),
    };
    conn.pragma_update(None, "journal_mode", journal).unwrap();
    conn.pragma_update(
        None,
        "synchronous",
        if journal == "OFF" { "OFF" } else { "NORMAL" },
    )
    .unwrap();
    conn.pragma_update(None, "cache_size", -65536).unwrap();
    conn.pragma_update(None, "threads", 2).unwrap();
    conn.execute_batch(&SCHEMA.replace(
        "KEYSPEC",
        if key {
            ", UNIQUE (source, record_id)"
        } else {
            ""
        },
    ))
    .unwrap();
    let idx = "CREATE INDEX calls_period_employee ON calls(period, employee_id); CREATE INDEX calls_customer ON calls(customer_id, started_at);";
    if idx_before {
        conn.execute_batch(idx).unwrap();
    }
    let t = Instant::now();
    conn.execute_batch("BEGIN").unwrap();
    {
        let mut st = conn.prepare("INSERT INTO calls (source, record_id, period, date, started_at, employee_id, business_type, customer_id, outcome, wait_secs, talk_secs, hold_secs, acw_secs, import_id, channel, queue, transfer_to) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)").unwrap();
        let (mut rid, mut date, mut ts, mut cust) =
            (String::new(), String::new(), String::new(), String::new());
        let mut x: u64 = 0x9E3779B97F4A7C15;
        for i in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            rid.clear();
            write!(rid, "C{i:09}").unwrap();
            let day = 1 + (i * 30 / n);
            date.clear();
            write!(date, "2026-10-{day:02}").unwrap();
            ts.clear();
            write!(
                ts,
                "2026-10-{day:02} {:02}:{:02}:{:02}",
                8 + (x % 12),
                (x >> 8) % 60,
                (x >> 16) % 60
            )
            .unwrap();
            cust.clear();
            write!(cust, "CU{:07}", (x >> 24) % 2_000_000).unwrap();
            if mode == "gen" {
                continue;
            }
            st.raw_bind_parameter(1, "bench").unwrap();
            st.raw_bind_parameter(2, rid.as_str()).unwrap();
            st.raw_bind_parameter(3, "2026-10").unwrap();
            st.raw_bind_parameter(4, date.as_str()).unwrap();
            st.raw_bind_parameter(5, ts.as_str()).unwrap();
            st.raw_bind_parameter(6, ((x >> 32) % 10_000) as i64)
                .unwrap();
            st.raw_bind_parameter(7, "BAL").unwrap();
            st.raw_bind_parameter(8, cust.as_str()).unwrap();
            st.raw_bind_parameter(9, "answered").unwrap();
            st.raw_bind_parameter(10, (x % 90) as i64).unwrap();
            st.raw_bind_parameter(11, (x % 600) as i64).unwrap();
            st.raw_bind_parameter(12, (x % 30) as i64).unwrap();
            st.raw_bind_parameter(13, (x % 60) as i64).unwrap();
            st.raw_bind_parameter(14, 1i64).unwrap();
            st.raw_bind_parameter(15, "voice").unwrap();
            st.raw_bind_parameter(16, "Q1").unwrap();
            st.raw_bind_parameter(17, rusqlite::types::Null).unwrap();
            st.raw_execute().unwrap();
        }
    }
    let ins = t.elapsed().as_secs_f64();
    if idx_after {
        if mode == "deferred_big" {
            conn.pragma_update(None, "cache_size", -524288).unwrap();
        }
        conn.execute_batch(idx).unwrap();
    }
    let idxs = t.elapsed().as_secs_f64() - ins;
    conn.execute_batch("COMMIT").unwrap();
    let all = t.elapsed().as_secs_f64();
    println!(
        "{mode} n={n}: insert {ins:.2}s ({:.0} rows/s), index-after {idxs:.2}s, commit {:.2}s, total {all:.2}s = {:.0} rows/s",
        n as f64 / ins,
        all - ins - idxs,
        n as f64 / all
    );
}

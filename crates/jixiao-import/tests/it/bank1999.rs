//! The 1999 bank call-center preset, on a small cut of the real files and on the three real
//! months themselves. `UPDATE_GOLDEN=1` rewrites the snapshots in `tests/fixtures/bank1999/`.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use jixiao_core::record::Outcome;
use jixiao_import::presets::bank1999;

use super::golden::{fixtures, render};

/// Compares `got` with the snapshot `name` (or rewrites it under `UPDATE_GOLDEN`).
fn check_snapshot(name: &str, got: &str) {
    let path = fixtures().join("bank1999").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if got != want {
        eprintln!("--- {name}: expected\n{want}--- got\n{got}");
        panic!("{name} differs from golden (UPDATE_GOLDEN=1 to accept)");
    }
}

#[test]
fn a_cut_of_the_real_file_parses_to_its_committed_records_and_rejects() {
    let bytes = std::fs::read(fixtures().join("bank1999/sample.txt")).unwrap();
    check_snapshot(
        "sample.expected.txt",
        &render(bank1999::parse(&bytes, "bank1999")),
    );
}

/// The real files, outside the repository; `None` (with a notice) when they are absent
/// on a developer machine, a failure in CI.
fn real_data() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/anonymous-bank-1999");
    if dir.is_dir() {
        return Some(dir);
    }
    let msg = format!("the 1999 bank data is not at {}", dir.display());
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{msg}");
    eprintln!("skipped: {msg}");
    None
}

/// What one month must give.
struct Month {
    file: &'static str,
    rows: i64,
    records: usize,
    rejects: usize,
    servers: usize,
    served: usize,
}

// Counted independently of the parser, with awk over the raw files (see docs/IMPORT.md).
const MONTHS: [Month; 3] = [
    Month {
        file: "january.txt",
        rows: 31_599,
        records: 31_084,
        rejects: 515,
        servers: 28,
        served: 26_547,
    },
    Month {
        file: "data_anonymous_bank_february.txt",
        rows: 33_344,
        records: 32_832,
        rejects: 512,
        servers: 24,
        served: 26_652,
    },
    Month {
        file: "october.txt",
        rows: 34_625,
        records: 34_091,
        rejects: 534,
        servers: 33,
        served: 30_332,
    },
];

/// Lines (1-based) and server of every row the raw text says an agent served.
fn served_rows(text: &str) -> HashMap<i64, String> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter_map(|(i, l)| {
            let f: Vec<&str> = l.trim_end_matches('\r').split('\t').collect();
            let served = f.len() == 17 && f[12] == "AGENT" && f[16] != "NO_SERVER";
            served.then(|| (i as i64 + 1, f[16].to_string()))
        })
        .collect()
}

#[test]
fn each_real_month_gives_its_known_counts_rejects_and_agents() {
    let Some(dir) = real_data() else { return };
    for m in &MONTHS {
        let bytes = std::fs::read(dir.join(m.file)).unwrap();
        let p = bank1999::parse(&bytes, "bank1999").unwrap();
        let servers: BTreeSet<&str> = p
            .records
            .iter()
            .filter_map(|(_, r)| r.employee_no.as_ref().map(|e| e.as_str()))
            .collect();
        let got = (
            p.rows_total,
            p.records.len(),
            p.rejects.len(),
            servers.len(),
        );
        // Every row an agent served is either a record assigned to that agent or rejected.
        let by_line: HashMap<i64, _> = p.records.iter().map(|(l, r)| (*l, r)).collect();
        let rejected: BTreeSet<i64> = p.rejects.iter().map(|r| r.row).collect();
        let mut assigned = 0;
        for (line, server) in served_rows(std::str::from_utf8(&bytes).unwrap()) {
            match by_line.get(&line) {
                Some(r) => {
                    assert_eq!(r.outcome, Outcome::Answered, "{} line {line}", m.file);
                    assert_eq!(
                        r.employee_no.as_ref().unwrap().as_str(),
                        server,
                        "{} line {line}",
                        m.file
                    );
                    assert_eq!(r.record_id.split('-').count(), 2);
                    assigned += 1;
                }
                None => assert!(rejected.contains(&line), "{} line {line} vanished", m.file),
            }
        }
        let mut report = format!(
            "rows_total: {}\nrecords: {}\nrejects: {}\n",
            p.rows_total,
            p.records.len(),
            p.rejects.len()
        );
        for r in &p.rejects {
            let _ = writeln!(
                report,
                "  line {}, {} = {:?}: {}",
                r.row, r.column, r.value, r.reason
            );
        }
        if m.file.contains("february") {
            // The one call that queued after midnight counts on the next day.
            let r = by_line[&15_757];
            assert_eq!(r.started_at.to_string(), "1999-02-11 00:00:02");
            assert_eq!(r.record_id, "AA0115-14375");
        }
        check_snapshot(&m.file.replace(".txt", ".expected.txt"), &report);
        assert_eq!(got, (m.rows, m.records, m.rejects, m.servers), "{}", m.file);
        assert_eq!(assigned, m.served, "{}", m.file);
    }
}

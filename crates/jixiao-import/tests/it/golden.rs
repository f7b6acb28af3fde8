//! Golden tests: every `tests/fixtures/<kind>_*.csv` is parsed and the records and reject
//! report are compared exactly with `<name>.expected.txt` beside it.
//! Run with `UPDATE_GOLDEN=1` to rewrite the expected files after an intended change.

use std::fmt::{Debug, Write};
use std::path::{Path, PathBuf};

use jixiao_import::canonical::{FileError, Parsed, parse_calls, parse_qa, parse_surveys};
use jixiao_import::canonical::{
    parse_attendance, parse_chats, parse_orders, parse_tickets, parse_work,
};

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub(crate) fn render<T: Debug>(result: Result<Parsed<T>, FileError>) -> String {
    let mut out = String::new();
    match result {
        Err(e) => writeln!(out, "file error [{}]: {e}", e.code()).unwrap(),
        Ok(p) => {
            writeln!(out, "rows_total: {}", p.rows_total).unwrap();
            writeln!(out, "records: {}", p.records.len()).unwrap();
            for (line, r) in &p.records {
                writeln!(out, "  line {line}: {r:?}").unwrap();
            }
            writeln!(out, "rejects: {}", p.rejects.len()).unwrap();
            for r in &p.rejects {
                writeln!(
                    out,
                    "  line {}, {} = {:?}: {}",
                    r.row, r.column, r.value, r.reason
                )
                .unwrap();
            }
        }
    }
    out
}

fn parse_fixture(name: &str, bytes: &[u8]) -> String {
    match name.split('_').next() {
        Some("calls") => render(parse_calls(bytes)),
        Some("surveys") => render(parse_surveys(bytes)),
        Some("qa") => render(parse_qa(bytes)),
        Some("tickets") => render(parse_tickets(bytes)),
        Some("chats") => render(parse_chats(bytes)),
        Some("orders") => render(parse_orders(bytes)),
        Some("attendance") => render(parse_attendance(bytes)),
        Some("work") => render(parse_work(bytes)),
        _ => panic!("fixture {name} must start with a kind: calls_, surveys_, qa_, tickets_ …"),
    }
}

#[test]
fn every_fixture_parses_to_its_committed_records_and_reject_report() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "fixtures missing: {files:?}");
    let mut stale = Vec::new();
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let got = parse_fixture(&name, &std::fs::read(&path).unwrap());
        let expected_path = path.with_extension("expected.txt");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != want {
            eprintln!("--- {name}: expected\n{want}--- got\n{got}");
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "differs from golden (UPDATE_GOLDEN=1 to accept): {stale:?}"
    );
}

#[test]
fn a_bom_and_crlf_line_ends_change_nothing() {
    let read = |f: &str| std::fs::read(fixtures().join(f)).unwrap();
    let plain = parse_calls(&read("calls_good.csv")).unwrap();
    let windows = parse_calls(&read("calls_bom_crlf.csv")).unwrap();
    assert_eq!(plain, windows);
}

#[test]
fn the_gbk_and_the_tab_separated_fixture_hold_the_same_rows() {
    let read = |f: &str| std::fs::read(fixtures().join(f)).unwrap();
    let gbk = read("calls_gbk.csv");
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the fixture must stay GBK"
    );
    assert_eq!(
        parse_calls(&gbk).unwrap(),
        parse_calls(&read("calls_tsv.csv")).unwrap()
    );
}

/// Compares `got` with the snapshot `dir/name` under the fixtures (or rewrites it under
/// `UPDATE_GOLDEN`).
pub(crate) fn check_snapshot_in(dir: &str, name: &str, got: &str) {
    let path = fixtures().join(dir).join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if got != want {
        eprintln!("--- {dir}/{name}: expected\n{want}--- got\n{got}");
        panic!("{dir}/{name} differs from golden (UPDATE_GOLDEN=1 to accept)");
    }
}

/// A folder of real data outside the repository (`/work/shared/data/<folder>`); `None` with a
/// notice when it is absent on a developer machine, a failure in CI.
pub(crate) fn shared_data(folder: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(folder);
    if dir.is_dir() {
        return Some(dir);
    }
    let msg = format!("the real data is not at {}", dir.display());
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{msg}");
    eprintln!("skipped: {msg}");
    None
}

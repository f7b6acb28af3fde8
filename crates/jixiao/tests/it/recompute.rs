//! The independent check: `scripts/recompute.py` recomputes a closed month from the raw records
//! of a SQLite file in Python and must agree with every number of the stored scorecards.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::Command;

use jixiao::cmd;
use jixiao_core::Period;
use jixiao_core::scorecard::Scorecard;
use jixiao_import::demo::DemoParams;
use jixiao_store::{CardFilter, Store, service};
use rust_decimal::Decimal;

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/recompute.py")
}

/// Whether `python3` runs; without it the test fails on CI and is skipped elsewhere.
fn python_available() -> bool {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3 is required on CI for the independent scorecard check"
        );
        eprintln!("notice: python3 not found; skipping the independent scorecard check");
    }
    found
}

/// The value of `"key": …` in one JSON line written by the script (flat objects only).
fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let pat = format!("\"{key}\": ");
    let rest = &line[line.find(&pat)? + pat.len()..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    let raw = rest[..end].trim();
    (raw != "null").then(|| raw.trim_matches('"'))
}

fn decimal(line: &str, key: &str) -> Option<Decimal> {
    field(line, key).map(|v| v.parse().unwrap_or_else(|e| panic!("{key} in {line}: {e}")))
}

fn assert_line_matches_card(line: &str, card: &Scorecard) {
    assert_eq!(decimal(line, "handled"), Some(Decimal::from(card.handled)));
    assert_eq!(decimal(line, "points"), Some(card.points), "{line}");
    // The script prints every KPI; a card carries only those of its department's scheme,
    // library items (the upheld-complaints deduction) under their library code.
    for k in &card.kpis {
        assert_eq!(decimal(line, k.code()), k.value.value, "{line}");
    }
    assert_eq!(decimal(line, "total"), card.total, "{line}");
    assert_eq!(field(line, "grade"), card.grade.as_deref(), "{line}");
    assert_eq!(
        decimal(line, "rank"),
        card.rank_in_team.map(Decimal::from),
        "{line}"
    );
    assert_eq!(decimal(line, "pay"), Some(card.variable_pay), "{line}");
    assert_eq!(decimal(line, "days"), Some(Decimal::from(card.days)));
    // Library KPIs the script recomputes beyond the scored ones.
    for code in ["asa", "service_level", "transfer_rate"] {
        let stored = card.library.iter().find(|v| v.kpi == code);
        assert_eq!(decimal(line, code), stored.and_then(|v| v.value), "{line}");
    }
}

#[tokio::test]
async fn a_python_recomputation_from_the_raw_records_agrees_with_every_stored_scorecard() {
    if !python_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("jixiao-it-recompute-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("j.db");
    let store = Store::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    // Two months: the demo moves agents on the 16th of the second, which is the one closed.
    let months: Vec<Period> = vec!["2026-08".parse().unwrap(), "2026-09".parse().unwrap()];
    let params = DemoParams {
        seed: 11,
        months: months.clone(),
        agents: 40,
        ..DemoParams::default()
    };
    cmd::demo::load(&store, &params, false)
        .await
        .expect("demo loads");
    let period = months[1];
    service::close(&store, period, "test", chrono::Utc::now())
        .await
        .unwrap();
    let cards = store
        .scorecards(period, &CardFilter::default())
        .await
        .unwrap();
    let team_code: HashMap<i64, String> = store
        .teams()
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.id, t.code))
        .collect();
    store.close().await;

    let out = Command::new("python3")
        .arg(script())
        .arg(&db)
        .arg(period.to_string())
        .arg("--compare")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "recompute.py found differences:\n{stderr}"
    );
    assert!(stderr.contains("0 mismatches"), "{stderr}");

    let lines: BTreeMap<(String, String), &str> = stdout
        .lines()
        .map(|l| {
            let key = (field(l, "employee_no"), field(l, "team"));
            let (Some(no), Some(team)) = key else {
                panic!("not a scorecard line: {l}")
            };
            ((no.to_string(), team.to_string()), l)
        })
        .collect();
    assert_eq!(lines.len(), cards.len(), "one line per stored scorecard");

    // The agent who moved team mid-month has two segments; both must match the stored cards.
    let mut segments: BTreeMap<&str, Vec<&Scorecard>> = BTreeMap::new();
    for c in &cards {
        segments.entry(c.employee_no.as_str()).or_default().push(c);
    }
    let (mover, moved) = segments
        .iter()
        .find(|(_, s)| s.len() == 2)
        .expect("the demo moves an agent mid-month");
    for card in moved {
        assert!(card.days < period.days(), "{mover}: a partial month");
        let key = (mover.to_string(), team_code[&card.team_id].clone());
        let line = lines
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?} in the script's output"));
        assert!(card.handled > 0, "{mover} worked in both teams");
        assert_line_matches_card(line, card);
    }
    // The demo upholds a complaint in the month: its deduction is on a card and agrees too.
    let deducted = cards
        .iter()
        .find(|c| c.kpis.iter().any(|k| k.deducted > Some(Decimal::ZERO)))
        .expect("a card with an upheld complaint's deduction");
    let key = (
        deducted.employee_no.clone(),
        team_code[&deducted.team_id].clone(),
    );
    assert_line_matches_card(lines[&key], deducted);
    assert_eq!(
        decimal(lines[&key], "complaints_upheld"),
        Some(Decimal::ONE)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

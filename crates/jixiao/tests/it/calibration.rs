//! Calibration from measured time (写实测时) on the real 1999 bank data in ../shared/data.

use std::path::PathBuf;
use std::process::Command;

use jixiao::cmd::calibrate::{Measured, load_bank1999, render, report};
use jixiao_core::calibrate::CalibrationOptions;
use jixiao_core::org::TypeCode;
use rust_decimal::Decimal;

/// The bank's monthly files, or `None` (with a notice) when the shared data is absent.
/// Under `CI=true` a missing folder is a failure, not a skip.
fn bank_files() -> Option<Vec<PathBuf>> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/anonymous-bank-1999");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect(),
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true and the bank data is missing at {}: {e}",
                dir.display()
            );
            eprintln!("SKIPPED: no bank data at {} ({e})", dir.display());
            return None;
        }
    };
    files.sort();
    assert!(!files.is_empty(), "no .txt files in {}", dir.display());
    Some(files)
}

fn tc(s: &str) -> TypeCode {
    TypeCode::parse(s).unwrap()
}

fn base_ps() -> CalibrationOptions {
    CalibrationOptions {
        base: tc("PS"),
        skill: Default::default(),
        dp: 2,
    }
}

#[test]
fn on_the_bank_data_internet_consulting_weighs_more_than_twice_regular_service() {
    let Some(files) = bank_files() else { return };
    let m: Measured = load_bank1999(&files).unwrap();
    let r = report(&m, &base_ps(), Decimal::ONE).unwrap();
    println!("{}", render(&r, 10));

    let proposed = r.calibration.proposed();
    assert_eq!(proposed[&tc("PS")], Decimal::ONE);
    assert!(
        proposed[&tc("IN")] > Decimal::TWO * proposed[&tc("PS")],
        "IN {} is not more than twice PS",
        proposed[&tc("IN")]
    );
    for l in &r.calibration.lines {
        assert!(l.handled > 0, "{} was measured with no calls", l.code);
        assert!(l.proposed.is_some(), "{} has calls but no proposal", l.code);
    }
    // Every measured call is some agent's: the types' handled add up to the agents'.
    let handled: u64 = r.calibration.lines.iter().map(|l| l.handled).sum();
    let by_agent: u64 = m.by_agent.values().map(|p| p.handled()).sum();
    assert_eq!(handled, by_agent);

    let e = &r.effect;
    let sum = |f: fn(&jixiao_core::calibrate::AgentEffect<_>) -> Decimal| {
        e.agents.iter().map(f).sum::<Decimal>()
    };
    assert_eq!(e.points_before, sum(|a| a.points_before));
    assert_eq!(e.points_after, sum(|a| a.points_after));
    assert_eq!(e.pay_before, sum(|a| a.pay_before));
    assert_eq!(e.pay_after, sum(|a| a.pay_after));
    // With every coefficient 1 before, points before are the handled calls.
    assert_eq!(e.points_before, Decimal::from(handled));
}

#[test]
fn the_binary_prints_the_proposal_and_its_effect() {
    let Some(files) = bank_files() else { return };
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args([
            "calibrate",
            "bank1999",
            "--base",
            "PS",
            "--unit-price",
            "0.50",
        ])
        .args(["--skill", "IN=1.2", "--top", "3"])
        .args(&files)
        .env("JIXIAO_LOG", "warn")
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("base PS"), "{text}");
    assert!(text.contains("unit price 0.50"), "{text}");
    let in_line = text
        .lines()
        .find(|l| l.starts_with("IN "))
        .expect("an IN line");
    assert!(in_line.contains(" 1.2 "), "{in_line}");
    assert!(text.lines().any(|l| l.starts_with("TOTAL")), "{text}");
}

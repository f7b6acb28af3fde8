//! The real `jixiao` binary, run as a user would, against a SQLite file.

use std::path::{Path, PathBuf};
use std::process::Command;

fn jixiao(db: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .env("JIXIAO_DATABASE", db)
        .env("JIXIAO_LOG", "warn")
        .output()
        .expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "jixiao {args:?} failed:\n{text}");
    text
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jixiao-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn every_subcommand_has_help() {
    for sub in [
        "serve",
        "demo",
        "migrate",
        "import",
        "period",
        "audit",
        "token",
        "export",
        "bench",
        "calibrate",
    ] {
        let out = jixiao("sqlite::memory:", &[sub, "--help"]);
        assert!(out.contains("Usage"), "{sub}: {out}");
    }
}

#[test]
fn import_twice_then_close_then_export_from_the_command_line() {
    let dir = temp_dir("cli");
    let db = format!("sqlite://{}", dir.join("j.db").display());
    let out = jixiao(
        &db,
        &["demo", "--no-serve", "--agents", "30", "--seed", "3"],
    );
    assert!(out.contains("admin"), "{out}");

    // An agent of the demo, and a month after the demo's months.
    let agent = out
        .lines()
        .find(|l| l.trim_start().starts_with("agent"))
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("an agent login is printed")
        .to_uppercase();
    let csv = dir.join("calls.csv");
    write(
        &csv,
        &format!(
            "source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs\n\
             pbx,c-1,2030-01-06 09:00:00,{agent},INQUIRY,cust-1,answered,5,60,0,10\n\
             pbx,c-2,2030-01-06 09:05:00,{agent},INQUIRY,cust-2,answered,5,not-a-number,0,10\n\
             pbx,c-3,2030-01-06 09:10:00,,INQUIRY,cust-3,abandoned,40,0,0,0\n"
        ),
    );
    let csv_s = csv.display().to_string();
    let first = jixiao(&db, &["import", "calls", &csv_s]);
    assert!(
        first.contains("2 new") && first.contains("1 rejected"),
        "{first}"
    );
    assert!(
        first.contains("row 3") && first.contains("talk_secs") && first.contains("not-a-number"),
        "{first}"
    );
    let second = jixiao(&db, &["import", "calls", &csv_s]);
    assert!(
        second.contains("0 new") && second.contains("2 unchanged"),
        "{second}"
    );

    let closed = jixiao(&db, &["period", "close", "2030-01"]);
    assert!(closed.contains("closed; snapshot hash"), "{closed}");
    let late = dir.join("late.csv");
    write(
        &late,
        &format!(
            "source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs\n\
             pbx,c-9,2030-01-07 09:00:00,{agent},INQUIRY,cust-9,answered,5,60,0,10\n"
        ),
    );
    let refused = jixiao(&db, &["import", "calls", &late.display().to_string()]);
    assert!(
        refused.contains("0 new") && refused.contains("closed"),
        "{refused}"
    );

    let xlsx = dir.join("out.xlsx");
    let exported = jixiao(
        &db,
        &[
            "export",
            "scorecards",
            "2030-01",
            "--out",
            &xlsx.display().to_string(),
        ],
    );
    assert!(exported.contains("scorecard rows written"), "{exported}");
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 1000);
    let payroll = dir.join("payroll.csv");
    let path = payroll.display().to_string();
    let exported = jixiao(
        &db,
        &[
            "export",
            "scorecards",
            "2030-01",
            "--payroll",
            "--out",
            &path,
        ],
    );
    assert!(exported.contains("payroll rows written"), "{exported}");
    let text = std::fs::read_to_string(&payroll).unwrap();
    assert!(
        text.starts_with("\u{feff}工号,姓名,班组,绩效积分"),
        "{text}"
    );
    let listed = jixiao(&db, &["period", "list"]);
    assert!(listed.contains("2030-01  closed"), "{listed}");

    let verified = jixiao(&db, &["audit", "verify"]);
    assert!(verified.contains("audit chain intact"), "{verified}");
    let log = jixiao(&db, &["audit", "list", "--limit", "2"]);
    assert!(
        log.contains("period.close") && log.contains("(2 of "),
        "{log}"
    );
}

#[test]
fn audit_verify_fails_naming_the_entry_after_a_deleted_one() {
    let dir = temp_dir("audit");
    let db = format!("sqlite://{}", dir.join("j.db").display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = jixiao_store::Store::connect(&db).await.unwrap();
        store.migrate().await.unwrap();
        for _ in 0..3 {
            store
                .audit(&jixiao_store::NewAudit {
                    actor: "boss".into(),
                    kind: "rules.update".into(),
                    subject: "CALL".into(),
                    // serde_json's Null, without a direct dependency on serde_json.
                    detail: Default::default(),
                    at: chrono::Utc::now(),
                })
                .await
                .unwrap();
        }
        jixiao_store::testing::execute_raw(&store, "DELETE FROM audit_log WHERE id = 2").await;
        store.close().await;
    });
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["audit", "verify"])
        .env("JIXIAO_DATABASE", &db)
        .env("JIXIAO_LOG", "warn")
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a broken chain must fail: {err}");
    assert!(
        err.contains("broken at entry 3") && err.contains("audit.missing"),
        "{err}"
    );
}

//! `jixiao period review` and `jixiao period adjust`, run as a user would, against a SQLite file.

use std::process::{Command, Output};

fn run(db: &str, args: &[&str]) -> (bool, String) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_jixiao"))
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
    (out.status.success(), text)
}

fn ok(db: &str, args: &[&str]) -> String {
    let (success, text) = run(db, args);
    assert!(success, "jixiao {args:?} failed:\n{text}");
    text
}

fn month_csv(agent: &str, month: &str, id: &str) -> String {
    format!(
        "source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs\n\
         pbx,{id},{month}-06 09:00:00,{agent},INQUIRY,cust-1,answered,5,60,0,10\n"
    )
}

#[test]
fn a_period_is_reviewed_closed_and_corrected_by_an_adjustment_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("jixiao-it-lifecycle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("j.db").display());
    let out = ok(
        &db,
        &["demo", "--no-serve", "--agents", "20", "--seed", "5"],
    );
    let agent = out
        .lines()
        .find(|l| l.trim_start().starts_with("agent"))
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("an agent login is printed")
        .to_uppercase();
    for (month, id) in [("2030-01", "j-1"), ("2030-02", "f-1")] {
        let csv = dir.join(format!("{month}.csv"));
        std::fs::write(&csv, month_csv(&agent, month, id)).unwrap();
        ok(&db, &["import", "calls", &csv.display().to_string()]);
    }
    let listed = ok(&db, &["period", "list"]);
    assert!(listed.contains("2030-01  computed"), "{listed}");

    let reviewed = ok(
        &db,
        &["period", "review", "2030-01", "--until", "2030-02-10"],
    );
    assert!(
        reviewed.contains("in review until 2030-02-10"),
        "{reviewed}"
    );
    ok(&db, &["period", "close", "2030-01"]);
    let listed = ok(&db, &["period", "list"]);
    assert!(
        listed.contains("2030-01  closed") && listed.contains("review until 2030-02-10"),
        "{listed}"
    );
    let (refused, text) = run(
        &db,
        &["period", "review", "2030-01", "--until", "2030-02-20"],
    );
    assert!(!refused && text.contains("closed"), "{text}");

    let adjust = |period: &str| {
        run(
            &db,
            &[
                "period",
                "adjust",
                "--period",
                period,
                "--employee",
                &agent,
                "--pay",
                "12.50",
                "--reason",
                "missed call in January",
                "--corrects",
                "2030-01",
            ],
        )
    };
    let (closed_ok, text) = adjust("2030-01");
    assert!(
        !closed_ok && text.contains("closed"),
        "refused on a closed period: {text}"
    );
    let (added, text) = adjust("2030-02");
    assert!(added && text.contains("12.50 pay"), "{text}");
    let log = ok(&db, &["audit", "list", "--limit", "5"]);
    assert!(
        log.contains("adjustment.add") && log.contains("period.review"),
        "{log}"
    );
}

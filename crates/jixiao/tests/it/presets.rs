//! `jixiao import KIND FILE --preset NAME`: a known foreign export through the real binary.

use std::process::Command;

fn run(db: &str, args: &[&str]) -> (bool, String) {
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
    (out.status.success(), text)
}

#[test]
fn the_servicenow_preset_imports_incidents_as_tickets_and_only_as_tickets() {
    let dir = std::env::temp_dir().join(format!("jixiao-it-presets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("j.db").display());
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../jixiao-import/tests/fixtures/servicenow/incidents.csv"
    );
    let (ok, out) = run(&db, &["import", "tickets", log, "--preset", "servicenow"]);
    assert!(ok, "{out}");
    assert!(out.contains("58 rows"), "{out}");
    let (ok, out) = run(&db, &["import", "calls", log, "--preset", "servicenow"]);
    assert!(!ok, "a preset of tickets cannot import calls: {out}");
    assert!(out.contains("reads tickets, not calls"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

//! `jixiao import --strict`: all or nothing from the command line.

use std::process::Command;

use jixiao_core::org::TypeCode;
use jixiao_store::{BusinessType, ImportMode, ImportStatus, Store, testing};

const CALLS: &str = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
pbx,s-1,2026-10-06 09:00:00,,INQ,cust-1,abandoned,40,0,0,0
pbx,s-2,2026-10-06 09:05:00,,INQ,cust-2,abandoned,35,0,0,0
pbx,s-3,2026-10-06 09:10:00,,INQ,cust-3,abandoned,x,0,0,0
";

fn import(db: &str, file: &std::path::Path, strict: bool) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    cmd.args(["import", "calls"]).arg(file);
    if strict {
        cmd.arg("--strict");
    }
    let out = cmd
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strict_import_with_a_bad_row_imports_nothing_and_exits_with_an_error() {
    let dir = std::env::temp_dir().join(format!("jixiao-strict-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("calls.csv");
    std::fs::write(&file, CALLS).unwrap();
    let db = format!("sqlite://{}", dir.join("j.db").display());
    let store = Store::connect(&db).await.unwrap();
    store.migrate().await.unwrap();
    store
        .upsert_business_type(&BusinessType {
            code: TypeCode::parse("INQ").unwrap(),
            name: "Inquiry".into(),
            coefficient: rust_decimal::Decimal::ONE,
        })
        .await
        .unwrap();

    let (db2, f) = (db.clone(), file.clone());
    let (ok, out) = tokio::task::spawn_blocking(move || import(&db2, &f, true))
        .await
        .unwrap();
    assert!(!ok, "a refused import fails: {out}");
    assert!(
        out.contains("strict import refused") && out.contains("row 4") && out.contains("wait_secs"),
        "{out}"
    );
    assert_eq!(
        testing::scalar_raw(&store, "SELECT COUNT(*) FROM calls").await,
        0
    );
    let refused = store.imports(Default::default()).await.unwrap().items[0].clone();
    assert_eq!(
        (refused.mode, refused.status, refused.rejected),
        (ImportMode::Strict, ImportStatus::Refused, 1)
    );

    let (db2, f) = (db.clone(), file.clone());
    let (ok, out) = tokio::task::spawn_blocking(move || import(&db2, &f, false))
        .await
        .unwrap();
    assert!(
        ok && out.contains("2 new") && out.contains("1 rejected"),
        "{out}"
    );
    assert_eq!(
        testing::scalar_raw(&store, "SELECT COUNT(*) FROM calls").await,
        2
    );
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

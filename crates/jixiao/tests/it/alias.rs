//! `jixiao unmatched` and `jixiao alias`: a file naming an agent by extension is held, the
//! extension is mapped once from the command line, and the held calls land.

use std::process::Command;

use jixiao_core::org::{EmployeeNo, TypeCode};
use jixiao_store::{BusinessType, NewEmployee, Store};

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

/// One employee (A001) and one business type (INQ), straight through the store.
async fn tiny_center(db: &str) {
    let store = Store::connect(db).await.unwrap();
    store.migrate().await.unwrap();
    store
        .insert_employees(&[NewEmployee {
            employee_no: EmployeeNo::parse("A001").unwrap(),
            name: "Ann".into(),
            position: "agent".into(),
            hire_date: "2025-01-01".parse().unwrap(),
        }])
        .await
        .unwrap();
    store
        .upsert_business_type(&BusinessType {
            code: TypeCode::parse("INQ").unwrap(),
            name: "inquiry".into(),
            coefficient: rust_decimal::Decimal::ONE,
        })
        .await
        .unwrap();
    store.close().await;
}

#[test]
fn an_unknown_extension_is_held_then_mapped_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("jixiao-it-alias-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("j.db").display());
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(tiny_center(&db));
    let csv = dir.join("calls.csv");
    std::fs::write(
        &csv,
        "source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs\n\
         pbx,c-1,2030-01-06 09:00:00,8001,INQ,,answered,5,60,0,10\n\
         pbx,c-2,2030-01-07 09:00:00,8001,INQ,,answered,5,60,0,10\n",
    )
    .unwrap();

    let imported = jixiao(&db, &["import", "calls", &csv.display().to_string()]);
    assert!(
        imported.contains("0 new") && imported.contains("2 records held"),
        "{imported}"
    );
    let listed = jixiao(&db, &["unmatched"]);
    assert!(
        listed.contains("pbx\t8001\t2 records\t2030-01-06..2030-01-07\tcalls"),
        "{listed}"
    );

    let mapped = jixiao(
        &db,
        &[
            "alias",
            "add",
            "--source",
            "pbx",
            "--alias",
            "8001",
            "--employee",
            "A001",
        ],
    );
    assert!(
        mapped.contains("pbx/8001 -> A001: 2 held records released, 0 still held"),
        "{mapped}"
    );
    assert!(jixiao(&db, &["alias", "list"]).contains("pbx\t8001\tA001"));
    assert!(jixiao(&db, &["unmatched"]).contains("no records are held"));
    let removed = jixiao(
        &db,
        &["alias", "remove", "--source", "pbx", "--alias", "8001"],
    );
    assert!(removed.contains("removed pbx/8001"), "{removed}");
    for sub in ["alias", "unmatched"] {
        assert!(jixiao(&db, &[sub, "--help"]).contains("Usage"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

//! Strict and lenient imports, and the progress an import reports.

use std::sync::Mutex;

use crate::fixtures::*;
use jixiao_core::record::Reject;
use jixiao_store::{
    ImportMode, ImportProgress, ImportStage, ImportStatus, NewImport, RecordBatch, contract_test,
    service, testing,
};

fn strict(name: &str) -> NewImport {
    NewImport {
        mode: ImportMode::Strict,
        ..new_import(name)
    }
}

/// October with one row of an unknown business type (a store-stage reject) and one parse
/// reject.
fn october_with_rejects() -> RecordBatch {
    let mut batch = october();
    batch
        .calls
        .push((40, call("k9", "A001", "2026-10-09 09:00:00", "NOPE", 100)));
    batch.rejects.push(Reject {
        row: 41,
        column: "talk_secs".into(),
        value: "x".into(),
        reason: "not a number".into(),
    });
    batch
}

async fn records(store: &jixiao_store::Store) -> i64 {
    let mut n = 0;
    for table in ["calls", "surveys", "qa_reviews"] {
        n += testing::scalar_raw(store, &format!("SELECT COUNT(*) FROM {table}")).await;
    }
    n
}

contract_test!(
    a_strict_import_with_a_reject_lands_nothing_and_keeps_its_report,
    |store| async move {
        center(&store).await;
        let out = service::import(&store, &strict("bad.csv"), &october_with_rejects(), &|_| {})
            .await
            .unwrap();
        assert_eq!(out.status, ImportStatus::Refused);
        assert_eq!((out.inserted, out.replaced, out.unchanged), (0, 0, 0));
        assert!(out.periods_touched.is_empty());
        assert_eq!(records(&store).await, 0, "no record landed");
        let reasons: Vec<(i64, &str)> = out
            .rejects
            .iter()
            .map(|r| (r.row, r.column.as_str()))
            .collect();
        assert_eq!(reasons, vec![(40, "business_type"), (41, "talk_secs")]);

        let listed = &store.imports(Default::default()).await.unwrap().items[0];
        assert_eq!(listed.id, out.import_id);
        assert_eq!(
            (listed.mode, listed.status, listed.rejected),
            (ImportMode::Strict, ImportStatus::Refused, 2)
        );
        assert_eq!(
            store.import_rejects(out.import_id).await.unwrap(),
            out.rejects
        );
        assert_eq!(
            store.import(out.import_id).await.unwrap().file_name,
            "bad.csv"
        );
        assert!(
            store
                .scorecards(oct(), &Default::default())
                .await
                .unwrap()
                .is_empty(),
            "nothing was recomputed"
        );
        let log = store.audit_log(Default::default()).await.unwrap();
        assert_eq!(log.items[0].detail["status"], "refused");
        assert_eq!(log.items[0].detail["mode"], "strict");
    }
);

contract_test!(
    a_strict_import_refuses_rows_of_a_closed_period_as_a_whole,
    |store| async move {
        center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        service::close(&store, oct(), "boss", at("2026-11-02T09:00:00Z"))
            .await
            .unwrap();
        let before = records(&store).await;
        let late = calls(vec![
            call("late-oct", "A001", "2026-10-30 09:00:00", "INQ", 50),
            call("nov-1", "A001", "2026-11-02 09:00:00", "INQ", 50),
        ]);
        let out = service::import(&store, &strict("late.csv"), &late, &|_| {})
            .await
            .unwrap();
        assert_eq!(out.status, ImportStatus::Refused);
        assert_eq!(out.rejects.len(), 1);
        assert_eq!(out.rejects[0].column, "started_at");
        assert_eq!(
            records(&store).await,
            before,
            "November's row did not land either"
        );

        let lenient = service::import(&store, &new_import("late.csv"), &late, &|_| {})
            .await
            .unwrap();
        assert_eq!(lenient.status, ImportStatus::Done);
        assert_eq!((lenient.inserted, lenient.rejects.len()), (1, 1));
    }
);

contract_test!(
    a_strict_import_without_rejects_lands_everything,
    |store| async move {
        center(&store).await;
        let out = service::import(&store, &strict("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        assert_eq!(out.status, ImportStatus::Done);
        assert_eq!(out.inserted, 13);
        assert_eq!(records(&store).await, 13);
        let listed = store.import(out.import_id).await.unwrap();
        assert_eq!(
            (listed.mode, listed.status),
            (ImportMode::Strict, ImportStatus::Done)
        );
    }
);

contract_test!(
    a_lenient_import_lands_the_good_rows_and_reports_the_rest,
    |store| async move {
        center(&store).await;
        let import = NewImport {
            profile: Some("pbx-cdr".into()),
            ..new_import("bad.csv")
        };
        let out = service::import(&store, &import, &october_with_rejects(), &|_| {})
            .await
            .unwrap();
        assert_eq!(out.status, ImportStatus::Done);
        assert_eq!((out.inserted, out.rejects.len()), (13, 2));
        assert_eq!(records(&store).await, 13);
        let listed = store.import(out.import_id).await.unwrap();
        assert_eq!(
            (listed.mode, listed.status, listed.profile.as_deref()),
            (ImportMode::Lenient, ImportStatus::Done, Some("pbx-cdr"))
        );
    }
);

contract_test!(
    progress_is_reported_per_chunk_monotonic_and_ends_at_the_total,
    |store| async move {
        center(&store).await;
        // More than two write chunks (20 000 records each), over two periods.
        let n = 45_000;
        let batch = calls(
            (0..n)
                .map(|i| {
                    let day = if i % 2 == 0 {
                        "2026-10-05"
                    } else {
                        "2026-11-05"
                    };
                    let when = format!("{day} {:02}:{:02}:00", 8 + i % 10, i % 60);
                    call(&format!("p{i}"), "A001", &when, "INQ", 60)
                })
                .collect(),
        );
        let seen: Mutex<Vec<ImportProgress>> = Mutex::default();
        let out = service::import(&store, &new_import("big.csv"), &batch, &|p| {
            seen.lock().unwrap().push(p);
        })
        .await
        .unwrap();
        assert_eq!(out.inserted, n);
        let seen = seen.into_inner().unwrap();
        let writing: Vec<_> = seen
            .iter()
            .filter(|p| p.stage == ImportStage::Writing)
            .collect();
        assert!(writing.len() >= 4, "a start and one per chunk: {writing:?}");
        assert_eq!(writing[0].done, 0);
        assert!(writing.windows(2).all(|w| w[0].done <= w[1].done));
        assert!(writing.iter().all(|p| p.done <= p.total));
        let last = writing.last().unwrap();
        assert_eq!((last.done, last.total), (n as u64, n as u64));

        let recomputing: Vec<_> = seen
            .iter()
            .filter(|p| p.stage == ImportStage::Recomputing)
            .map(|p| (p.done, p.total))
            .collect();
        assert_eq!(recomputing, vec![(0, 2), (1, 2), (2, 2)]);
        let first_recompute = seen
            .iter()
            .position(|p| p.stage == ImportStage::Recomputing)
            .unwrap();
        assert!(
            seen[first_recompute..]
                .iter()
                .all(|p| p.stage == ImportStage::Recomputing),
            "stages come in order"
        );
    }
);

/// The calls table's indexes, as (name, definition) sorted by name: SQLite's from
/// `sqlite_master` (its autoindex for the unique key has no SQL), PostgreSQL's from `pg_indexes`.
async fn call_indexes(store: &jixiao_store::Store) -> Vec<(String, String)> {
    let sql = match store.backend() {
        jixiao_store::Backend::Sqlite => {
            "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' \
             AND tbl_name = 'calls' ORDER BY name"
        }
        jixiao_store::Backend::Postgres => {
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE tablename = 'calls' \
             ORDER BY indexname"
        }
    };
    testing::pairs_raw(store, sql).await
}

contract_test!(
    a_large_fresh_load_builds_the_indexes_it_dropped_before_it_commits,
    |store| async move {
        center(&store).await;
        // Every import counts as large here: the production threshold is 100,000 records.
        let store = testing::defer_indexes_from(store, 1);
        let indexes = call_indexes(&store).await;
        assert!(
            indexes.len() >= 3,
            "the unique key and two secondary: {indexes:?}"
        );

        // Refused (strict, with a reject): the rollback restores the dropped indexes.
        let out = service::import(&store, &strict("bad.csv"), &october_with_rejects(), &|_| {})
            .await
            .unwrap();
        assert_eq!(out.status, ImportStatus::Refused);
        assert_eq!(call_indexes(&store).await, indexes);

        let seen: Mutex<Vec<ImportStage>> = Mutex::default();
        let out = service::import(&store, &new_import("oct.csv"), &october(), &|p| {
            seen.lock().unwrap().push(p.stage);
        })
        .await
        .unwrap();
        assert_eq!(out.status, ImportStatus::Done);
        assert_eq!(out.inserted, records(&store).await);
        assert_eq!(
            call_indexes(&store).await,
            indexes,
            "built again, as they were"
        );
        let mut stages = seen.into_inner().unwrap();
        stages.dedup();
        let expected = match store.backend() {
            // SQLite drops and builds; PostgreSQL never drops (other instances read).
            jixiao_store::Backend::Sqlite => vec![
                ImportStage::Writing,
                ImportStage::Indexing,
                ImportStage::Recomputing,
            ],
            jixiao_store::Backend::Postgres => {
                vec![ImportStage::Writing, ImportStage::Recomputing]
            }
        };
        assert_eq!(stages, expected);

        // A query that needs the customer index still finds the records.
        let repeat = testing::scalar_raw(
            &store,
            "SELECT COUNT(*) FROM calls WHERE customer_id IS NOT NULL AND started_at > '2026-10-01'",
        )
        .await;
        assert!(repeat > 0);

        // The same file again changes nothing (its source is no longer fresh: nothing dropped).
        let seen: Mutex<Vec<ImportStage>> = Mutex::default();
        let again = service::import(&store, &new_import("oct.csv"), &october(), &|p| {
            seen.lock().unwrap().push(p.stage);
        })
        .await
        .unwrap();
        assert_eq!((again.inserted, again.replaced), (0, 0));
        assert!(!seen.into_inner().unwrap().contains(&ImportStage::Indexing));
        assert_eq!(call_indexes(&store).await, indexes);
    }
);

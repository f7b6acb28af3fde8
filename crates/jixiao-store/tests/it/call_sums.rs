//! The call sums (`tallies/call_sums.rs`) against the scanning tallies they replace: after a
//! fresh load, a late import the sums track (changed outcomes, waits, customers, agents and
//! dates, new contacts that make earlier ones repeats across a month's end), a new source they
//! do not track, a membership change and a threshold change, every segment and the center are
//! the same as a scan of the calls gives, on both backends. Also checks which of those the
//! sums follow without a rebuild.

use chrono::{Duration, NaiveDateTime};
use jixiao_core::Period;
use jixiao_core::org::Membership;
use jixiao_core::record::{CallRecord, Outcome, RecordBatch};
use jixiao_store::{KpiThresholds, Store, contract_test, service};

use crate::fixtures::*;

fn periods() -> [Period; 3] {
    ["2026-09", "2026-10", "2026-11"].map(|p| p.parse().unwrap())
}

/// Seeded calls from 2026-09-24 to 2026-11-08: three agents (A002 changes team mid-October,
/// A003 has no team before 2026-10-05), agentless abandons, 40 customers (some calls without
/// one), waits around the thresholds, two types.
fn seeded(prefix: &str, n: usize, seed: u64) -> Vec<CallRecord> {
    let mut x = seed;
    let mut next = |n: u64| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % n
    };
    let start = NaiveDateTime::parse_from_str("2026-09-24 08:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    (0..n)
        .map(|i| {
            let when = start + Duration::days(next(46) as i64) + Duration::hours(next(3) as i64);
            let outcome = match next(6) {
                0 => Outcome::Abandoned,
                1 => Outcome::Transferred,
                _ => Outcome::Answered,
            };
            let agent_no = ["A001", "A002", "A003"][next(3) as usize];
            let handled = outcome != Outcome::Abandoned;
            CallRecord {
                started_at: when,
                outcome,
                employee_no: (handled || next(2) == 0).then(|| agent(agent_no)),
                customer_id: match next(8) {
                    0 => None,
                    1 => Some(String::new()),
                    _ => Some(format!("K{}", next(40))),
                },
                wait_secs: next(30) as u32,
                ..call(
                    &format!("{prefix}{i:04}"),
                    agent_no,
                    "2026-10-01 00:00:00",
                    ["INQ", "CMP"][next(2) as usize],
                    30 + next(300) as u32,
                )
            }
        })
        .collect()
}

/// Every period's tallies from the sums equal a scan of the calls.
async fn same_as_scan(store: &Store, when: &str) {
    for p in periods() {
        let sums = store.tallies_and_center(p).await.unwrap();
        let scan = store.tallies_and_center_scanned(p).await.unwrap();
        assert_eq!(sums.0, scan.0, "{when}: segments of {p}");
        assert_eq!(sums.1, scan.1, "{when}: center of {p}");
    }
}

async fn all_current(store: &Store) -> Vec<bool> {
    let mut out = Vec::new();
    for p in periods() {
        out.push(store.call_sums_current(p).await.unwrap());
    }
    out
}

/// A late file of the same source: changed rows of every kind and new contacts.
fn late(first: &[CallRecord]) -> RecordBatch {
    let mut out: Vec<CallRecord> = Vec::new();
    for (i, c) in first.iter().enumerate().filter(|(i, _)| i % 7 == 0) {
        let mut c = c.clone();
        match i % 5 {
            0 => c.talk_secs += 11,
            1 => c.outcome = Outcome::Abandoned,
            2 => c.customer_id = Some(format!("K{}", (i * 3) % 40)),
            3 => c.started_at += Duration::days(9),
            _ => {
                c.employee_no = Some(agent("A002"));
                c.wait_secs = 20;
            }
        }
        out.push(c);
    }
    // New contacts: some just after month ends, within the window of earlier ones.
    out.extend(seeded("n", 40, 99));
    calls(out)
}

contract_test!(
    call_sums_equal_a_scan_after_fresh_late_and_untracked_imports_and_config_changes,
    |store| async move {
        let c = center(&store).await;
        let first = seeded("c", 600, 0x5EED);
        service::import(
            &store,
            &new_import("first.csv"),
            &calls(first.clone()),
            &|_| {},
        )
        .await
        .unwrap();
        same_as_scan(&store, "after the first load").await;
        assert_eq!(all_current(&store).await, [true; 3]);

        // A late file of the same source: tracked, the sums stay current without a rebuild.
        let out = store
            .write_import(&new_import("late.csv"), &late(&first))
            .await
            .unwrap();
        assert!(out.replaced > 0 && out.inserted > 0, "{out:?}");
        assert_eq!(
            all_current(&store).await,
            [true; 3],
            "a tracked import keeps the sums current"
        );
        same_as_scan(&store, "after the late file").await;

        // Importing the same late file again changes nothing.
        store
            .write_import(&new_import("late.csv"), &late(&first))
            .await
            .unwrap();
        assert_eq!(all_current(&store).await, [true; 3]);
        same_as_scan(&store, "after the late file again").await;

        // A new source is loaded without tracking: the periods it touches are rebuilt.
        let crm: Vec<CallRecord> = seeded("m", 50, 7)
            .into_iter()
            .map(|c| CallRecord {
                source: "crm".into(),
                ..c
            })
            .collect();
        store
            .write_import(&new_import("crm.csv"), &calls(crm))
            .await
            .unwrap();
        assert!(all_current(&store).await.contains(&false));
        same_as_scan(&store, "after a new source").await;
        assert_eq!(all_current(&store).await, [true; 3]);

        // A membership change (A003 into T1 in September) rebuilds.
        store
            .add_membership(&Membership {
                employee_id: c.a3,
                team_id: c.t1,
                valid_from: d("2026-09-01"),
                valid_to: Some(d("2026-10-04")),
            })
            .await
            .unwrap();
        assert_eq!(all_current(&store).await, [false; 3]);
        same_as_scan(&store, "after a membership change").await;

        // Thresholds too.
        store
            .set_kpi_thresholds(&KpiThresholds {
                service_level_secs: 10,
                short_abandon_secs: 3,
                repeat_window_days: 3,
            })
            .await
            .unwrap();
        assert_eq!(all_current(&store).await, [false; 3]);
        same_as_scan(&store, "after new thresholds").await;

        // And a late file tracked under them.
        store
            .write_import(&new_import("late2.csv"), &calls(seeded("p", 60, 3)))
            .await
            .unwrap();
        assert_eq!(all_current(&store).await, [true; 3]);
        same_as_scan(&store, "after a late file under new thresholds").await;
    }
);

contract_test!(
    a_refused_strict_import_leaves_the_call_sums_as_they_were,
    |store| async move {
        center(&store).await;
        service::import(
            &store,
            &new_import("first.csv"),
            &calls(seeded("c", 200, 1)),
            &|_| {},
        )
        .await
        .unwrap();
        same_as_scan(&store, "first").await;
        let mut bad = seeded("c", 30, 2);
        bad.push(CallRecord {
            business_type: jixiao_core::org::TypeCode::parse("ZZZ").unwrap(),
            ..call("bad", "A001", "2026-10-02 10:00:00", "INQ", 10)
        });
        let strict = jixiao_store::NewImport {
            mode: jixiao_store::ImportMode::Strict,
            ..new_import("strict.csv")
        };
        let out = store.write_import(&strict, &calls(bad)).await.unwrap();
        assert_eq!(out.status, jixiao_store::ImportStatus::Refused);
        assert_eq!(all_current(&store).await, [true; 3]);
        same_as_scan(&store, "after a refused import").await;
    }
);

contract_test!(
    two_instances_importing_one_new_source_at_once_both_succeed_and_count_it_once,
    |store| async move {
        center(&store).await;
        let other = jixiao_store::testing::second_instance(&store).await;
        let batch = calls(seeded("c", 300, 5));
        let a = new_import("a.csv");
        let b = new_import("b.csv");
        // Imports take turns (an advisory lock on PostgreSQL, the one writer on SQLite): the
        // second upserts what the first inserted instead of failing on the unique key.
        let (x, y) = tokio::join!(
            store.write_import(&a, &batch),
            other.write_import(&b, &batch)
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(x.inserted + y.inserted, 300 - (x.rejects.len() as i64));
        assert_eq!(x.unchanged + y.unchanged, x.inserted + y.inserted);
        service::recompute(&store, "2026-10".parse().unwrap())
            .await
            .unwrap();
        same_as_scan(&store, "after two imports at once").await;
    }
);

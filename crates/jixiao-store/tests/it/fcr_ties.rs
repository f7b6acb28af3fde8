//! The repeat-contact (FCR) tally against a brute-force count of its definition (docs/KPIS.md):
//! a handled contact with a customer id is a repeat when any contact of that customer starts
//! strictly after it and at most the window later. The calls sit on a coarse grid (whole hours,
//! two a day), so many contacts of one customer share their start time (never each other's
//! repeat) and many are exactly 7 days apart (within the window).

use chrono::{Duration, NaiveDateTime};
use jixiao_core::record::{CallRecord, Outcome};
use jixiao_store::contract_test;
use rust_decimal::Decimal;

use crate::fixtures::*;

/// Deterministic pseudo-random calls: October and the first 9 days of November, 9:00 or
/// 10:00, 60 customers, answered, transferred or abandoned, all A001's (in T1 all along).
fn grid_calls() -> Vec<CallRecord> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: u64| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % n
    };
    let start = NaiveDateTime::parse_from_str("2026-10-01 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    (0..400)
        .map(|i| {
            let when = start + Duration::days(next(40) as i64) + Duration::hours(next(2) as i64);
            let outcome = match next(5) {
                0 => Outcome::Abandoned,
                1 => Outcome::Transferred,
                _ => Outcome::Answered,
            };
            let handled = outcome != Outcome::Abandoned;
            CallRecord {
                started_at: when,
                outcome,
                employee_no: handled.then(|| agent("A001")),
                customer_id: (next(10) != 0).then(|| format!("K{}", next(60))),
                ..call(
                    &format!("g{i:04}"),
                    "A001",
                    "2026-10-01 00:00:00",
                    "INQ",
                    60,
                )
            }
        })
        .collect()
}

/// (resolved, repeats) of October's judged contacts, by the definition, probing every pair.
fn brute_force(calls: &[CallRecord], window_days: i64) -> (i64, i64) {
    let (mut resolved, mut repeats) = (0, 0);
    for r in calls {
        let judged = matches!(r.outcome, Outcome::Answered | Outcome::Transferred)
            && r.customer_id.is_some()
            && r.started_at.format("%Y-%m").to_string() == "2026-10";
        if !judged {
            continue;
        }
        let end = r.started_at + Duration::days(window_days);
        let repeated = calls.iter().any(|n| {
            n.customer_id == r.customer_id && n.started_at > r.started_at && n.started_at <= end
        });
        if repeated {
            repeats += 1;
        } else {
            resolved += 1;
        }
    }
    (resolved, repeats)
}

contract_test!(
    fcr_equals_the_definition_with_equal_start_times_and_exact_window_edges,
    |store| async move {
        let c = center(&store).await;
        let records = grid_calls();
        let (resolved, repeats) = brute_force(&records, 7);
        // The grid really has both outcomes, equal start times and exact edges to get right.
        assert!(repeats > 30 && resolved > 30, "{resolved} {repeats}");
        let pairs = |f: &dyn Fn(&CallRecord, &CallRecord) -> bool| {
            records
                .iter()
                .enumerate()
                .flat_map(|(i, a)| records[i + 1..].iter().map(move |b| (a, b)))
                .filter(|(a, b)| a.customer_id.is_some() && a.customer_id == b.customer_id)
                .filter(|(a, b)| f(a, b) || f(b, a))
                .count()
        };
        assert!(pairs(&|a, b| a.started_at == b.started_at) > 3);
        assert!(pairs(&|a, b| b.started_at - a.started_at == Duration::days(7)) > 3);
        let out = store
            .write_import(&new_import("grid.csv"), &calls(records))
            .await
            .unwrap();
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        let want = [Decimal::from(resolved), Decimal::from(repeats)];
        let center_totals = store.center_totals(oct()).await.unwrap();
        let got = |t: &jixiao_core::kpi::MeasureTotals| {
            [t.get("first_contact_resolved"), t.get("repeat_contacts")]
        };
        assert_eq!(got(&center_totals), want);
        let tallies = store.tallies(oct()).await.unwrap();
        let a1 = tallies
            .iter()
            .find(|t| (t.employee_id, t.team_id) == (c.a1, c.t1))
            .unwrap();
        assert_eq!(got(&a1.totals), want);
    }
);

//! Base measures from calls, surveys and QA on both backends: per segment and for the center,
//! the service-level and short-abandon edges, FCR's repeat window, editable thresholds, and
//! SQLite and PostgreSQL giving the same totals.

use jixiao_core::kpi::MeasureTotals;
use jixiao_core::record::{CallRecord, Outcome};
use jixiao_core::scorecard::library_values;
use jixiao_store::{Backend, KpiThresholds, RecordBatch, SegmentTally, Store, contract_test};
use rust_decimal::{Decimal, dec};

use crate::fixtures::*;
use crate::measures_kinds;

/// A call of `customer` with `outcome` after `wait` seconds in queue; abandoned and call-back
/// calls have no agent.
pub fn contact(id: &str, agent: &str, when: &str, customer: Option<&str>) -> CallRecord {
    CallRecord {
        customer_id: customer.map(str::to_string),
        ..call(id, agent, when, "INQ", 100)
    }
}

fn waited(id: &str, when: &str, outcome: Outcome, wait: u32) -> CallRecord {
    let handled = matches!(outcome, Outcome::Answered | Outcome::Transferred);
    CallRecord {
        outcome,
        wait_secs: wait,
        employee_no: handled.then(|| agent("A001")),
        talk_secs: if handled { 100 } else { 0 },
        hold_secs: if handled { 10 } else { 0 },
        acw_secs: if handled { 20 } else { 0 },
        ..call(id, "A001", when, "INQ", 100)
    }
}

/// A001's queue in October: answered after exactly 20 s and after 21 s, a transfer after 0 s;
/// abandons after 4 s (short), 5 s and 30 s; a call-back request (not offered).
pub fn queue() -> Vec<CallRecord> {
    vec![
        waited("q1", "2026-10-02 09:00:00", Outcome::Answered, 20),
        waited("q2", "2026-10-02 09:10:00", Outcome::Answered, 21),
        waited("q3", "2026-10-02 09:20:00", Outcome::Transferred, 0),
        waited("q4", "2026-10-02 09:30:00", Outcome::Abandoned, 4),
        waited("q5", "2026-10-02 09:40:00", Outcome::Abandoned, 5),
        waited("q6", "2026-10-02 09:50:00", Outcome::Abandoned, 30),
        waited("q7", "2026-10-02 10:00:00", Outcome::Callback, 12),
    ]
}

/// Contacts of customers X and Z and one without a customer. X calls A001 on the 1st, A002
/// exactly 7 days later, A001 7 days and 1 second after that; Z calls A001 on the 30th and
/// abandons a call on 2 November.
pub fn repeats() -> Vec<CallRecord> {
    vec![
        contact("x1", "A001", "2026-10-01 09:00:00", Some("X")),
        contact("x2", "A002", "2026-10-08 09:00:00", Some("X")),
        contact("x3", "A001", "2026-10-15 09:00:01", Some("X")),
        contact("z1", "A001", "2026-10-30 18:00:00", Some("Z")),
        CallRecord {
            outcome: Outcome::Abandoned,
            employee_no: None,
            ..contact("z2", "A001", "2026-11-02 08:00:00", Some("Z"))
        },
        contact("n1", "A001", "2026-10-03 09:00:00", None),
    ]
}

async fn import(store: &Store, calls: Vec<CallRecord>) {
    let out = store
        .write_import(&new_import("m.csv"), &self::calls(calls))
        .await
        .unwrap();
    assert!(out.rejects.is_empty(), "{:?}", out.rejects);
}

async fn totals_of(store: &Store, employee: i64, team: i64) -> MeasureTotals {
    let tallies = store.tallies(oct()).await.unwrap();
    tallies
        .into_iter()
        .find(|t| (t.employee_id, t.team_id) == (employee, team))
        .map(|t| t.totals)
        .unwrap_or_default()
}

fn measures(t: &MeasureTotals, names: &[&str]) -> Vec<Decimal> {
    names.iter().map(|n| t.get(n)).collect()
}

fn value(t: &MeasureTotals, kpi: &str) -> Option<Decimal> {
    let all = library_values(t);
    all.into_iter().find(|v| v.kpi == kpi).unwrap().value
}

contract_test!(
    agent_call_measures_count_waits_transfers_and_the_service_level_edge,
    |store| async move {
        let c = center(&store).await;
        import(&store, queue()).await;
        let t = totals_of(&store, c.a1, c.t1).await;
        let names = [
            "handled",
            "answered",
            "transferred",
            "wait_secs_answered",
            "answered_within_threshold",
            "talk_secs",
            "handle_secs",
            "offered",
        ];
        // Exactly 20 s is within the threshold, 21 s is not; abandoned calls have no agent.
        let expected = [3, 3, 1, 41, 2, 300, 390, 0].map(Decimal::from);
        assert_eq!(measures(&t, &names), expected);
        assert_eq!(value(&t, "asa"), Some(dec!(13.67)));
        assert_eq!(value(&t, "transfer_rate"), Some(dec!(33.33)));
        assert_eq!(
            value(&t, "service_level"),
            None,
            "a queue KPI: no agent has it"
        );
    }
);

contract_test!(
    center_measures_hold_the_queue_with_short_abandons_left_out,
    |store| async move {
        center(&store).await;
        import(&store, queue()).await;
        let t = store.center_totals(oct()).await.unwrap();
        let names = [
            "offered",
            "answered",
            "abandoned",
            "short_abandoned",
            "answered_within_threshold",
            "wait_secs_answered",
        ];
        // The call-back request is not offered; the 4 s abandon is short, the 5 s one is not.
        assert_eq!(measures(&t, &names), [6, 3, 3, 1, 2, 41].map(Decimal::from));
        // 2 answered within 20 s of 6 − 1 offered; (3 − 1) abandoned of 6 − 1.
        assert_eq!(value(&t, "service_level"), Some(dec!(40)));
        assert_eq!(value(&t, "abandonment_rate"), Some(dec!(40)));
        assert_eq!(value(&t, "aht"), Some(dec!(130)));
    }
);

contract_test!(
    fcr_counts_a_contact_repeated_within_the_window_as_a_repeat,
    |store| async move {
        let c = center(&store).await;
        import(&store, repeats()).await;
        let names = ["first_contact_resolved", "repeat_contacts"];
        // A001: x1 repeated exactly 7 days later, z1 repeated in November (an abandon is a
        // contact too), x3 resolved, n1 without a customer not judged.
        let a1 = totals_of(&store, c.a1, c.t1).await;
        assert_eq!(measures(&a1, &names), [dec!(1), dec!(2)]);
        assert_eq!(value(&a1, "fcr"), Some(dec!(33.33)));
        assert_eq!(value(&a1, "repeat_contact_rate"), Some(dec!(66.67)));
        // A002: x2 is followed 7 days and 1 second later: outside the window, resolved.
        let a2 = totals_of(&store, c.a2, c.t1).await;
        assert_eq!(measures(&a2, &names), [dec!(1), dec!(0)]);
        let center = store.center_totals(oct()).await.unwrap();
        assert_eq!(measures(&center, &names), [dec!(2), dec!(2)]);
    }
);

contract_test!(
    thresholds_default_as_documented_and_changing_them_changes_the_measures,
    |store| async move {
        let c = center(&store).await;
        assert_eq!(
            store.kpi_thresholds().await.unwrap(),
            KpiThresholds {
                service_level_secs: 20,
                short_abandon_secs: 5,
                repeat_window_days: 7,
            }
        );
        import(&store, [queue(), repeats()].concat()).await;
        let shorter = KpiThresholds {
            service_level_secs: 21,
            short_abandon_secs: 6,
            repeat_window_days: 6,
        };
        store.set_kpi_thresholds(&shorter).await.unwrap();
        assert_eq!(store.kpi_thresholds().await.unwrap(), shorter);
        let a1 = totals_of(&store, c.a1, c.t1).await;
        let names = [
            "answered_within_threshold",
            "first_contact_resolved",
            "repeat_contacts",
        ];
        // Now 21 s is within, so all 3 queue calls and A001's 4 contacts (7 s each) are; x1's
        // repeat 7 days later is outside a 6-day window (the 3 queue calls are their
        // customers' only contacts: resolved).
        assert_eq!(measures(&a1, &names), [7, 5, 1].map(Decimal::from));
        let center = store.center_totals(oct()).await.unwrap();
        assert_eq!(center.get("short_abandoned"), dec!(2));
        let too_long = KpiThresholds {
            repeat_window_days: 400,
            ..shorter
        };
        let e = store.set_kpi_thresholds(&too_long).await.unwrap_err();
        assert_eq!(e.code(), "invalid_value");
    }
);

contract_test!(
    survey_and_qa_measures_match_the_partial,
    |store| async move {
        let c = center(&store).await;
        store
            .write_import(&new_import("a.csv"), &october())
            .await
            .unwrap();
        let t = totals_of(&store, c.a1, c.t1).await;
        let names = [
            "surveys",
            "surveys_top2",
            "qa_reviews",
            "qa_score_sum",
            "qa_critical_failures",
        ];
        assert_eq!(
            measures(&t, &names),
            [dec!(2), dec!(1), dec!(2), dec!(90), dec!(1)]
        );
        let center = store.center_totals(oct()).await.unwrap();
        assert_eq!(measures(&center, &names[..2]), [dec!(3), dec!(2)]);
    }
);

/// Everything the tallies and the center see after the same records land on `backend`.
async fn measured(backend: Backend) -> Option<(Vec<SegmentTally>, MeasureTotals, String)> {
    let store = jixiao_store::testing::fresh_store(backend).await?;
    center(&store).await;
    let mut batch: RecordBatch = measures_kinds::kinds();
    batch.calls = (100..)
        .zip(
            [
                queue(),
                repeats(),
                october().calls.into_iter().map(|c| c.1).collect(),
            ]
            .concat(),
        )
        .collect();
    (batch.surveys, batch.qa) = (october().surveys, october().qa);
    let out = store
        .write_import(&new_import("all.csv"), &batch)
        .await
        .unwrap();
    assert!(out.rejects.is_empty(), "{:?}", out.rejects);
    let tallies = store.tallies(oct()).await.unwrap();
    let center = store.center_totals(oct()).await.unwrap();
    let cards = jixiao_store::service::compute(&store, oct()).await.unwrap();
    let hash = jixiao_core::scorecard::snapshot_hash(&cards);
    jixiao_store::testing::dispose(store).await;
    Some((tallies, center, hash))
}

#[tokio::test]
async fn sqlite_and_postgresql_give_identical_totals_and_snapshot_hashes() {
    let Some(pg) = measured(Backend::Postgres).await else {
        return;
    };
    let lite = measured(Backend::Sqlite).await.unwrap();
    assert_eq!(lite.0, pg.0, "per-segment tallies");
    assert_eq!(lite.1, pg.1, "center totals");
    assert_eq!(lite.2, pg.2, "snapshot hash");
    assert!(
        lite.0
            .iter()
            .any(|t| t.totals.get("inquiries") > Decimal::ZERO)
    );
}

contract_test!(
    center_totals_are_saved_with_the_cards_and_a_closed_period_keeps_them,
    |store| async move {
        center(&store).await;
        assert_eq!(store.saved_center_totals(oct()).await.unwrap(), None);
        import(&store, [queue(), repeats()].concat()).await;
        assert_eq!(store.saved_center_totals(oct()).await.unwrap(), None);
        jixiao_store::service::recompute(&store, oct())
            .await
            .unwrap();
        let live = store.center_totals(oct()).await.unwrap();
        assert_eq!(
            store.saved_center_totals(oct()).await.unwrap(),
            Some(live.clone())
        );
        jixiao_store::service::close(&store, oct(), "manager", chrono::Utc::now())
            .await
            .unwrap();
        // New thresholds change what a live count would say, not the closed period's totals.
        let shorter = KpiThresholds {
            service_level_secs: 21,
            short_abandon_secs: 6,
            repeat_window_days: 6,
        };
        store.set_kpi_thresholds(&shorter).await.unwrap();
        assert_ne!(store.center_totals(oct()).await.unwrap(), live);
        let now = store.center_totals(oct()).await.unwrap();
        store.save_center_totals(oct(), &now).await.unwrap();
        assert_eq!(store.saved_center_totals(oct()).await.unwrap(), Some(live));
    }
);

contract_test!(
    calls_landing_in_a_month_rescore_the_open_month_before_whose_repeat_window_reaches_them,
    |store| async move {
        let c = center(&store).await;
        let fcr = |cards: Vec<jixiao_core::scorecard::Scorecard>| {
            let card = cards.into_iter().find(|k| k.employee_id == c.a1).unwrap();
            let v = card.library.into_iter().find(|v| v.kpi == "fcr").unwrap();
            (v.numerator, v.denominator)
        };
        let z1 = contact("z1", "A001", "2026-10-30 18:00:00", Some("Z"));
        jixiao_store::service::import(&store, &new_import("oct.csv"), &calls(vec![z1]), &|_| {})
            .await
            .unwrap();
        let october = store.scorecards(oct(), &Default::default()).await.unwrap();
        assert_eq!(fcr(october), (dec!(1), dec!(1)), "z1 resolved so far");
        // Z calls again on 2 November, within 7 days: October's z1 is a repeat now.
        let z2 = contact("z2", "A001", "2026-11-02 08:00:00", Some("Z"));
        jixiao_store::service::import(&store, &new_import("nov.csv"), &calls(vec![z2]), &|_| {})
            .await
            .unwrap();
        let october = store.scorecards(oct(), &Default::default()).await.unwrap();
        assert_eq!(fcr(october), (dec!(0), dec!(1)));
    }
);

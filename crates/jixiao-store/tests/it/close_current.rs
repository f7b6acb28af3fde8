//! Closing a computed period whose cards are current freezes the saved cards without computing
//! again (issue 4); any change since they were computed (a late record, a call in the next
//! month within the repeat window, a threshold, other cards saved under the basis) makes the
//! close compute first. Either way the snapshot is the one a recompute gives at closing.

use jixiao_core::record::CallRecord;
use jixiao_core::scorecard::snapshot_hash;
use jixiao_store::{KpiThresholds, Store, contract_test, service};

use crate::fixtures::*;

/// October's records imported the way `jixiao import` does it: written, then recomputed.
async fn computed_october(store: &Store) {
    service::import(store, &new_import("oct.csv"), &october(), &|_| {})
        .await
        .unwrap();
    assert!(service::cards_current(store, oct()).await.unwrap());
}

/// The hash a recompute would give now, computed without saving anything.
async fn recompute_hash(store: &Store) -> String {
    snapshot_hash(&service::compute(store, oct()).await.unwrap())
}

async fn close(store: &Store) -> String {
    service::close(store, oct(), "lead", at("2026-11-05T09:00:00Z"))
        .await
        .unwrap()
}

/// Writes records the way a late import lands them, without the recompute after it.
async fn land(store: &Store, records: Vec<CallRecord>) {
    let out = store
        .write_import(&new_import("late.csv"), &calls(records))
        .await
        .unwrap();
    assert!(out.rejects.is_empty(), "{:?}", out.rejects);
}

/// What a close reads before it computes or trusts the cards: October's revision and the
/// input generation as they are now.
async fn unchanged_now(store: &Store) -> Option<jixiao_store::Unchanged> {
    Some(jixiao_store::Unchanged {
        revision: store.period_revision(oct()).await.unwrap(),
        generation: store.kpi_generation().await.unwrap(),
    })
}

/// The store's conditional close of October, as the lead at a fixed time.
async fn flip(
    store: &Store,
    freeze: jixiao_store::Freeze<'_>,
    hash: &str,
    unchanged: Option<jixiao_store::Unchanged>,
) -> bool {
    store
        .close_period_at_revision(
            oct(),
            freeze,
            hash,
            "lead",
            at("2026-11-05T09:00:00Z"),
            unchanged,
        )
        .await
        .unwrap()
}

contract_test!(
    closing_an_untouched_computed_period_freezes_its_cards_with_a_recompute_s_hash,
    |store| async move {
        center(&store).await;
        computed_october(&store).await;
        let saved = store.scorecards(oct(), &Default::default()).await.unwrap();
        let want = recompute_hash(&store).await;
        assert_eq!(snapshot_hash(&saved), want);
        let hash = close(&store).await;
        assert_eq!(hash, want);
        let info = store.period_info(oct()).await.unwrap();
        assert_eq!(info.snapshot_hash.as_deref(), Some(want.as_str()));
        let frozen = store.scorecards(oct(), &Default::default()).await.unwrap();
        assert_eq!(snapshot_hash(&frozen), want);
        assert_eq!(frozen.len(), saved.len());
    }
);

contract_test!(
    closing_after_a_late_record_changed_computes_the_period_again,
    |store| async move {
        center(&store).await;
        computed_october(&store).await;
        let before = recompute_hash(&store).await;
        // c3 arrives again with a longer talk time, and a new call of A001.
        land(
            &store,
            vec![
                call("c3", "A002", "2026-10-10 10:00:00", "INQ", 999),
                call("c9", "A001", "2026-10-28 10:00:00", "CMP", 120),
            ],
        )
        .await;
        assert!(!service::cards_current(&store, oct()).await.unwrap());
        let want = recompute_hash(&store).await;
        assert_ne!(want, before);
        assert_eq!(close(&store).await, want);
    }
);

contract_test!(
    closing_after_a_call_next_month_within_the_repeat_window_computes_again,
    |store| async move {
        center(&store).await;
        computed_october(&store).await;
        let before = recompute_hash(&store).await;
        // Customer C-c9 calls on 30 October, and again on 2 November: within the window.
        land(
            &store,
            vec![call("c9", "A001", "2026-10-30 10:00:00", "INQ", 120)],
        )
        .await;
        service::recompute(&store, oct()).await.unwrap();
        assert!(service::cards_current(&store, oct()).await.unwrap());
        let computed = recompute_hash(&store).await;
        assert_ne!(computed, before);
        land(
            &store,
            vec![CallRecord {
                customer_id: Some("C-c9".into()),
                ..call("n1", "A001", "2026-11-02 10:00:00", "INQ", 60)
            }],
        )
        .await;
        assert!(!service::cards_current(&store, oct()).await.unwrap());
        let want = recompute_hash(&store).await;
        assert_ne!(want, computed, "c9 is a repeat now");
        assert_eq!(close(&store).await, want);
    }
);

contract_test!(
    closing_after_a_threshold_or_a_membership_changed_computes_again,
    |store| async move {
        center(&store).await;
        computed_october(&store).await;
        store
            .set_kpi_thresholds(&KpiThresholds {
                service_level_secs: 10,
                ..KpiThresholds::default()
            })
            .await
            .unwrap();
        assert!(!service::cards_current(&store, oct()).await.unwrap());
        service::recompute(&store, oct()).await.unwrap();
        assert!(service::cards_current(&store, oct()).await.unwrap());
        // A membership change, written without the recompute a page would run after it.
        let c = store.employees().await.unwrap();
        let a3 = c.iter().find(|e| e.employee_no.as_str() == "A003").unwrap();
        let t1 = store.teams().await.unwrap()[0].id;
        store
            .add_membership(&jixiao_core::org::Membership {
                employee_id: a3.id,
                team_id: t1,
                valid_from: d("2026-09-01"),
                valid_to: Some(d("2026-10-04")),
            })
            .await
            .unwrap();
        assert!(!service::cards_current(&store, oct()).await.unwrap());
        let want = recompute_hash(&store).await;
        assert_eq!(close(&store).await, want);
    }
);

contract_test!(
    saved_cards_that_are_not_the_ones_of_the_basis_are_not_trusted,
    |store| async move {
        center(&store).await;
        computed_october(&store).await;
        let want = recompute_hash(&store).await;
        // Cards saved by another path (or a slower recompute finishing last) under the basis.
        let mut cards = store.scorecards(oct(), &Default::default()).await.unwrap();
        cards.pop();
        store.save_scorecards(oct(), &cards).await.unwrap();
        assert!(!service::cards_current(&store, oct()).await.unwrap());
        assert_eq!(close(&store).await, want);
    }
);

contract_test!(
    a_configuration_change_between_computing_and_the_flip_refuses_the_flip,
    |store| async move {
        center(&store).await;
        computed_october(&store).await;
        let unchanged = unchanged_now(&store).await;
        let generation = store.kpi_generation().await.unwrap();
        let cards = store.scorecards(oct(), &Default::default()).await.unwrap();
        let hash = snapshot_hash(&cards);
        // A threshold change commits after the cards were taken, before the flip.
        store
            .set_kpi_thresholds(&KpiThresholds {
                service_level_secs: 10,
                ..KpiThresholds::default()
            })
            .await
            .unwrap();
        assert!(store.kpi_generation().await.unwrap() > generation);
        let flipped = flip(
            &store,
            jixiao_store::Freeze::Cards(&cards),
            &hash,
            unchanged,
        )
        .await;
        assert!(!flipped, "the stale cards must not be frozen");
        assert_ne!(
            store.period_info(oct()).await.unwrap().status,
            jixiao_core::period::PeriodStatus::Closed
        );
        // The service's close computes again and freezes what a recompute gives now.
        let want = recompute_hash(&store).await;
        assert_eq!(close(&store).await, want);
    }
);

contract_test!(
    a_close_keeping_the_saved_cards_refuses_when_their_recorded_hash_is_not_its_own,
    |store| async move {
        center(&store).await;
        computed_october(&store).await;
        let unchanged = unchanged_now(&store).await;
        let saved = jixiao_store::Freeze::Saved;
        let flipped = flip(&store, saved, "not-the-saved-cards-hash", unchanged).await;
        assert!(
            !flipped,
            "cards other than the recorded ones must not be frozen"
        );
        let want = recompute_hash(&store).await;
        assert!(flip(&store, saved, &want, unchanged).await);
        let info = store.period_info(oct()).await.unwrap();
        assert_eq!(info.snapshot_hash.as_deref(), Some(want.as_str()));
        let frozen = store.scorecards(oct(), &Default::default()).await.unwrap();
        assert_eq!(snapshot_hash(&frozen), want);
    }
);

contract_test!(
    a_call_moved_into_another_month_makes_its_old_month_stale_and_recomputed,
    |store| async move {
        center(&store).await;
        computed_october(&store).await;
        let handled = |cards: &[jixiao_core::scorecard::Scorecard]| -> u64 {
            cards
                .iter()
                .filter(|c| c.employee_no == "A002")
                .map(|c| c.handled)
                .sum()
        };
        let saved = store.scorecards(oct(), &Default::default()).await.unwrap();
        assert_eq!(handled(&saved), 2, "c3 and c4");
        // c3 arrives again, corrected to a November date: it leaves October.
        let moved = vec![call("c3", "A002", "2026-11-03 10:00:00", "INQ", 300)];
        let out = store
            .write_import(&new_import("moved.csv"), &calls(moved.clone()))
            .await
            .unwrap();
        assert_eq!(out.replaced, 1);
        let nov: jixiao_core::Period = "2026-11".parse().unwrap();
        assert_eq!(out.periods_touched, vec![oct(), nov], "the old month too");
        assert!(!service::cards_current(&store, oct()).await.unwrap());
        let want = recompute_hash(&store).await;
        assert_eq!(close(&store).await, want, "a close computes October again");
        let frozen = store.scorecards(oct(), &Default::default()).await.unwrap();
        assert_eq!(handled(&frozen), 1, "c4 only");
    }
);

contract_test!(
    an_import_moving_a_call_out_of_a_computed_month_recomputes_that_month,
    |store| async move {
        center(&store).await;
        computed_october(&store).await;
        // To December: beyond October's repeat window, which alone would recompute October.
        let moved = calls(vec![call("c4", "A002", "2026-12-15 10:00:00", "CMP", 150)]);
        service::import(&store, &new_import("moved.csv"), &moved, &|_| {})
            .await
            .unwrap();
        assert!(service::cards_current(&store, oct()).await.unwrap());
        let saved = store.scorecards(oct(), &Default::default()).await.unwrap();
        let a002: u64 = saved
            .iter()
            .filter(|c| c.employee_no == "A002")
            .map(|c| c.handled)
            .sum();
        assert_eq!(a002, 1, "c3 only: c4 moved to December");
    }
);

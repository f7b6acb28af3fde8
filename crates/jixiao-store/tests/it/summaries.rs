//! What the center overview reads besides the period's cards: per-period sums of the stored
//! scorecards (its 12-month trends) and the targets over cards it already loaded.

use std::collections::BTreeMap;

use crate::fixtures::*;
use jixiao_core::Period;
use jixiao_core::targets::{SplitMethod, TargetPlan};
use jixiao_store::service::{self, TargetOverview, TargetScope};
use jixiao_store::{CardFilter, PeriodSummary, Store, contract_test};
use rust_decimal::{Decimal, dec};

fn sep() -> Period {
    "2026-09".parse().unwrap()
}

/// October's records and a few September calls, both months computed.
async fn two_months(store: &Store) {
    center(store).await;
    service::import(store, &new_import("oct.csv"), &october(), &|_| {})
        .await
        .unwrap();
    let september = calls(vec![
        call("p1", "A001", "2026-09-10 09:00:00", "INQ", 100),
        call("p2", "A001", "2026-09-11 09:00:00", "CMP", 200),
        call("p3", "A002", "2026-09-12 09:00:00", "INQ", 300),
    ]);
    service::import(store, &new_import("sep.csv"), &september, &|_| {})
        .await
        .unwrap();
}

/// The summary of `period` added up here from the stored cards themselves.
async fn summed(store: &Store, period: Period) -> PeriodSummary {
    let cards = store
        .scorecards(period, &CardFilter::default())
        .await
        .unwrap();
    let totals: Vec<Decimal> = cards.iter().filter_map(|c| c.total).collect();
    PeriodSummary {
        period,
        cards: cards.len() as u32,
        handled: cards.iter().map(|c| c.handled).sum(),
        points: cards.iter().map(|c| c.points).sum(),
        total_sum: totals.iter().sum(),
        totals: totals.len() as u32,
    }
}

contract_test!(
    period_summaries_are_the_sums_of_each_periods_stored_cards,
    |store| async move {
        two_months(&store).await;
        let nov: Period = "2026-11".parse().unwrap();
        let got = store.period_summaries(&[oct(), nov, sep()]).await.unwrap();
        // Oldest first; November has no cards, so no summary.
        assert_eq!(
            got.iter().map(|s| s.period).collect::<Vec<_>>(),
            [sep(), oct()]
        );
        for s in &got {
            let want = summed(&store, s.period).await;
            assert_eq!(*s, want, "{}", s.period);
            assert!(s.cards > 0 && s.handled > 0, "{s:?}");
        }
        assert_eq!(got[0].handled, 3);
        assert!(store.period_summaries(&[]).await.unwrap().is_empty());
        assert!(store.period_summaries(&[nov]).await.unwrap().is_empty());
    }
);

contract_test!(
    the_center_targets_over_loaded_cards_are_the_target_overviews_center_and_departments,
    |store| async move {
        two_months(&store).await;
        let plan = TargetPlan {
            measure: "handled".into(),
            whole: dec!(10),
            dp: 0,
            departments: SplitMethod::Headcount,
            teams: SplitMethod::Headcount,
            agents: SplitMethod::Headcount,
            explicit: BTreeMap::new(),
        };
        service::set_target(&store, oct(), &plan, "boss", at("2026-10-01T00:00:00Z"))
            .await
            .unwrap();
        let cards = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();
        let all = service::target_overview(&store, oct(), &TargetScope::All)
            .await
            .unwrap();
        let same = TargetOverview::with_cards(&store, oct(), &TargetScope::All, &cards)
            .await
            .unwrap();
        assert_eq!(same, all);
        let center = TargetOverview::with_cards(&store, oct(), &TargetScope::Center, &cards)
            .await
            .unwrap();
        assert_eq!(center.len(), 1);
        let units: Vec<&str> = center[0].rows.iter().map(|r| r.unit.as_str()).collect();
        assert_eq!(units[0], "center");
        assert!(
            units[1..].iter().all(|u| u.starts_with("department:")) && units.len() == 2,
            "{units:?}"
        );
        for row in &center[0].rows {
            assert_eq!(Some(row), all[0].rows.iter().find(|r| r.unit == row.unit));
        }
        // The center's actual is every card's handled.
        let handled: u64 = cards.iter().map(|c| c.handled).sum();
        assert_eq!(center[0].rows[0].actual, Decimal::from(handled));
        assert_eq!(center[0].rows[0].label, "center");
        // A period without targets has none, whatever the cards.
        let none = TargetOverview::with_cards(&store, sep(), &TargetScope::Center, &cards)
            .await
            .unwrap();
        assert!(none.is_empty());
    }
);

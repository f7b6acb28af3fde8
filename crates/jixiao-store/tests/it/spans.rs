//! Quarters and years: months' stored cards summed per agent, on both backends.

use crate::fixtures::*;
use jixiao_core::period::PeriodStatus;
use jixiao_core::span::Span;
use jixiao_store::service::{self, SpanOptions};
use jixiao_store::{CardFilter, contract_test};
use rust_decimal::Decimal;

contract_test!(
    a_quarter_sums_its_computed_and_closed_months_and_says_which_are_in,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("oct.csv"), &october(), &|_| {})
            .await
            .unwrap();
        service::close(&store, oct(), "boss", at("2026-11-02T00:00:00Z"))
            .await
            .unwrap();
        let nov = calls(vec![
            call("n1", "A001", "2026-11-03 09:00:00", "INQ", 500),
            call("n2", "A001", "2026-11-04 09:00:00", "INQ", 700),
        ]);
        service::import(&store, &new_import("nov.csv"), &nov, &|_| {})
            .await
            .unwrap();
        let q4: Span = "2026-Q4".parse().unwrap();
        let view = service::span_view(&store, q4, SpanOptions::default(), &CardFilter::default())
            .await
            .unwrap();
        let included: Vec<String> = view
            .months
            .iter()
            .filter(|m| m.included)
            .map(|m| m.period.to_string())
            .collect();
        assert_eq!(included, ["2026-10", "2026-11"]);
        assert_eq!(view.months[0].status, Some(PeriodStatus::Closed));
        assert_eq!(view.months[2].status, None);
        let a1 = view
            .rows
            .iter()
            .find(|r| r.agent.employee_id == c.a1)
            .unwrap();
        // AHT over both months is their summed handle time over their summed handled calls.
        let mut secs = Decimal::ZERO;
        let mut handled = Decimal::ZERO;
        let mut weighted = Decimal::ZERO;
        let mut days = 0_u32;
        for p in [oct(), oct().next()] {
            let filter = CardFilter {
                employee_id: Some(c.a1),
                ..CardFilter::default()
            };
            for card in store.scorecards(p, &filter).await.unwrap() {
                let aht = card.library.iter().find(|v| v.kpi == "aht").unwrap();
                secs += aht.numerator;
                handled += aht.denominator;
                if let Some(t) = card.total {
                    weighted += t * Decimal::from(card.days);
                    days += card.days;
                }
            }
        }
        let aht = a1.agent.library.iter().find(|v| v.kpi == "aht").unwrap();
        assert_eq!((aht.numerator, aht.denominator), (secs, handled));
        assert_eq!(
            aht.value,
            Some(jixiao_core::money::round_half_up(secs / handled, 2))
        );
        assert_eq!(
            a1.agent.score,
            Some(jixiao_core::money::round_half_up(
                weighted / Decimal::from(days),
                2
            ))
        );
        assert!(a1.grade.is_some());
        // Only closed months: November drops out.
        let closed = SpanOptions {
            closed_only: true,
            ..SpanOptions::default()
        };
        let view = service::span_view(&store, q4, closed, &CardFilter::default())
            .await
            .unwrap();
        assert_eq!(view.months.iter().filter(|m| m.included).count(), 1);
        // A scope filter keeps others out.
        let mine = CardFilter {
            employee_id: Some(c.a3),
            ..CardFilter::default()
        };
        let view = service::span_view(
            &store,
            "2026".parse().unwrap(),
            SpanOptions::default(),
            &mine,
        )
        .await
        .unwrap();
        assert!(view.rows.iter().all(|r| r.agent.employee_id == c.a3));
        assert_eq!(view.months.len(), 12);
    }
);

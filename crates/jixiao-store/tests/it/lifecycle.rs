//! The period lifecycle (open → computed → in review → closed) and adjustments.

use crate::fixtures::*;
use jixiao_core::period::PeriodStatus;
use jixiao_store::{CardFilter, NewAdjustment, PageReq, StoreError, contract_test, service};
use rust_decimal::dec;

fn nov() -> jixiao_core::Period {
    "2026-11".parse().unwrap()
}

async fn kinds(store: &jixiao_store::Store) -> Vec<String> {
    let log = store.audit_log(PageReq::default()).await.unwrap();
    log.items.iter().rev().map(|e| e.kind.clone()).collect()
}

fn adjustment(period: jixiao_core::Period, employee_id: i64) -> NewAdjustment {
    NewAdjustment {
        period,
        employee_id,
        points: dec!(0),
        pay: dec!(12.50),
        reason: "call c2 was miscoded in October".into(),
        corrects: Some(oct()),
        author: "boss".into(),
        at: at("2026-11-05T10:00:00Z"),
    }
}

contract_test!(
    a_period_goes_from_open_to_computed_to_in_review_to_closed_and_each_step_is_audited,
    |store| async move {
        center(&store).await;
        assert_eq!(
            store.period_info(oct()).await.unwrap().status,
            PeriodStatus::Open
        );
        // A review needs computed cards.
        let early = service::open_review(
            &store,
            oct(),
            d("2026-11-10"),
            "boss",
            at("2026-11-01T00:00:00Z"),
        )
        .await;
        assert!(
            matches!(&early, Err(e @ StoreError::InvalidTransition { .. }) if e.code() == "invalid_transition"),
            "{early:?}"
        );
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        assert_eq!(
            store.period_info(oct()).await.unwrap().status,
            PeriodStatus::Computed
        );
        // A review window must not end before the period does.
        let short = service::open_review(
            &store,
            oct(),
            d("2026-10-20"),
            "boss",
            at("2026-11-01T00:00:00Z"),
        )
        .await;
        assert_eq!(short.unwrap_err().code(), "invalid_value");
        service::open_review(
            &store,
            oct(),
            d("2026-11-10"),
            "boss",
            at("2026-11-01T00:00:00Z"),
        )
        .await
        .unwrap();
        let info = store.period_info(oct()).await.unwrap();
        assert_eq!(
            (info.status, info.review_until),
            (PeriodStatus::InReview, Some(d("2026-11-10")))
        );
        // While in review, new records still recompute and the state stays in review.
        let late = calls(vec![call("c9", "A001", "2026-10-30 09:00:00", "INQ", 50)]);
        service::import(&store, &new_import("late.csv"), &late, &|_| {})
            .await
            .unwrap();
        assert_eq!(
            store.period_info(oct()).await.unwrap().status,
            PeriodStatus::InReview
        );
        // The window may be moved.
        service::open_review(
            &store,
            oct(),
            d("2026-11-12"),
            "boss",
            at("2026-11-02T00:00:00Z"),
        )
        .await
        .unwrap();
        service::close(&store, oct(), "boss", at("2026-11-03T00:00:00Z"))
            .await
            .unwrap();
        let refused = service::open_review(
            &store,
            oct(),
            d("2026-11-20"),
            "boss",
            at("2026-11-04T00:00:00Z"),
        )
        .await;
        assert!(
            matches!(refused, Err(StoreError::PeriodClosed(_))),
            "{refused:?}"
        );
        let log = kinds(&store).await;
        let steps: Vec<&str> = log
            .iter()
            .map(String::as_str)
            .filter(|k| k.starts_with("period."))
            .collect();
        assert_eq!(
            steps,
            [
                "period.computed",
                "period.review",
                "period.review",
                "period.close"
            ]
        );
        let entries = store.audit_log(PageReq::default()).await.unwrap().items;
        let close = entries.iter().find(|e| e.kind == "period.close").unwrap();
        assert_eq!(close.detail["from"], "in_review");
        let review = entries.iter().find(|e| e.kind == "period.review").unwrap();
        assert_eq!(review.detail["review_until"], "2026-11-12");
    }
);

contract_test!(
    closing_is_allowed_from_open_and_computed_but_nothing_moves_after_closing,
    |store| async move {
        center(&store).await;
        // Open (never computed): closing computes on the way.
        service::close(&store, nov(), "boss", at("2026-12-01T00:00:00Z"))
            .await
            .unwrap();
        assert_eq!(
            store.period_info(nov()).await.unwrap().status,
            PeriodStatus::Closed
        );
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        service::close(&store, oct(), "boss", at("2026-11-03T00:00:00Z"))
            .await
            .unwrap();
        let entries = store.audit_log(PageReq::default()).await.unwrap().items;
        assert_eq!(entries[0].detail["from"], "computed");
        assert!(matches!(
            service::close(&store, oct(), "boss", at("2026-11-04T00:00:00Z")).await,
            Err(StoreError::PeriodClosed(_))
        ));
        assert!(matches!(
            service::recompute(&store, oct()).await,
            Err(StoreError::PeriodClosed(_))
        ));
    }
);

contract_test!(
    an_adjustment_shows_on_the_open_periods_card_is_audited_and_leaves_the_closed_snapshot_alone,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let hash = service::close(&store, oct(), "boss", at("2026-11-02T09:00:00Z"))
            .await
            .unwrap();
        let closed_cards = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();
        let nov_calls = calls(vec![call("n1", "A001", "2026-11-02 09:00:00", "INQ", 50)]);
        service::import(&store, &new_import("nov.csv"), &nov_calls, &|_| {})
            .await
            .unwrap();
        let before = store
            .scorecards(
                nov(),
                &CardFilter {
                    employee_id: Some(c.a1),
                    ..CardFilter::default()
                },
            )
            .await
            .unwrap()
            .remove(0);

        // Refused on the closed period, with nothing written.
        let refused = service::add_adjustment(&store, &adjustment(oct(), c.a1)).await;
        assert!(matches!(refused, Err(StoreError::PeriodClosed(p)) if p == oct()));
        // Refused without a reason, or correcting a period that is not closed.
        let blank = NewAdjustment {
            reason: "  ".into(),
            ..adjustment(nov(), c.a1)
        };
        assert_eq!(
            service::add_adjustment(&store, &blank)
                .await
                .unwrap_err()
                .code(),
            "invalid_value"
        );
        let not_closed = NewAdjustment {
            corrects: Some(nov()),
            ..adjustment(nov(), c.a1)
        };
        assert_eq!(
            service::add_adjustment(&store, &not_closed)
                .await
                .unwrap_err()
                .code(),
            "invalid_value"
        );

        let line = service::add_adjustment(&store, &adjustment(nov(), c.a1))
            .await
            .unwrap();
        assert_eq!(
            (line.pay, line.corrects, line.author.as_str()),
            (dec!(12.50), Some(oct()), "boss")
        );
        let card = store
            .scorecards(
                nov(),
                &CardFilter {
                    employee_id: Some(c.a1),
                    ..CardFilter::default()
                },
            )
            .await
            .unwrap()
            .remove(0);
        assert_eq!(card.adjustments, vec![line.clone()]);
        assert_eq!(card.variable_pay, before.variable_pay + dec!(12.50));
        assert_eq!(card.points, before.points);
        // A later import keeps it on the card.
        let more = calls(vec![call("n2", "A001", "2026-11-03 09:00:00", "INQ", 50)]);
        service::import(&store, &new_import("nov2.csv"), &more, &|_| {})
            .await
            .unwrap();
        let again = store
            .scorecards(
                nov(),
                &CardFilter {
                    employee_id: Some(c.a1),
                    ..CardFilter::default()
                },
            )
            .await
            .unwrap()
            .remove(0);
        assert_eq!(again.adjustments.len(), 1);

        let entries = store.audit_log(PageReq::default()).await.unwrap().items;
        let added = entries.iter().find(|e| e.kind == "adjustment.add").unwrap();
        assert_eq!(added.actor, "boss");
        assert_eq!(added.subject, "2026-11");
        assert_eq!(added.detail["pay"], "12.50");
        assert_eq!(added.detail["corrects"], "2026-10");
        assert_eq!(store.adjustments(oct(), None).await.unwrap(), vec![]);
        assert_eq!(
            store
                .scorecards(oct(), &CardFilter::default())
                .await
                .unwrap(),
            closed_cards
        );
        assert_eq!(
            store.period_info(oct()).await.unwrap().snapshot_hash,
            Some(hash.clone())
        );
        assert_eq!(jixiao_core::scorecard::snapshot_hash(&closed_cards), hash);
        // Closing November keeps the adjustment in its snapshot.
        service::close(&store, nov(), "boss", at("2026-12-01T00:00:00Z"))
            .await
            .unwrap();
        let final_card = store
            .scorecards(
                nov(),
                &CardFilter {
                    employee_id: Some(c.a1),
                    ..CardFilter::default()
                },
            )
            .await
            .unwrap()
            .remove(0);
        assert_eq!(final_card.adjustments.len(), 1);
    }
);

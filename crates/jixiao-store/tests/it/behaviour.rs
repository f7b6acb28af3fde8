//! Behaviour ratings: stored, audited, refused outside the team or in a closed period, and
//! fed into the compute as the library KPI `behaviour` that a scheme can score.

use crate::fixtures::*;
use jixiao_core::kpi::KpiCode;
use jixiao_core::scheme::SchemeItem;
use jixiao_store::{CardFilter, NewRating, PageReq, StoreError, contract_test, service};
use rust_decimal::dec;

fn rating(employee_id: i64, team_id: i64, level: u8) -> NewRating {
    NewRating {
        period: oct(),
        employee_id,
        team_id,
        level,
        comment: "helps new colleagues".into(),
        by: "sup".into(),
        at: at("2026-10-20T09:00:00Z"),
    }
}

contract_test!(
    a_rating_is_scored_on_the_card_replaced_when_rated_again_and_audited,
    |store| async move {
        let c = center(&store).await;
        // The scheme scores behaviour at 20 %.
        let mut s = scheme();
        s.items[0].weight = dec!(20);
        s.items.push(SchemeItem {
            kpi: KpiCode::Qa,
            weight: dec!(20),
            floor: dec!(0),
            target: dec!(100),
            prorate: false,
            library_kpi: Some("behaviour".into()),
            scoring: None,
        });
        store
            .set_department_rules(c.dept, &s, dec!(0.85))
            .await
            .unwrap();
        service::rate_behaviour(&store, &rating(c.a1, c.t1, 4))
            .await
            .unwrap();
        let card = |cards: Vec<jixiao_core::scorecard::Scorecard>| {
            cards.into_iter().find(|k| k.employee_id == c.a1).unwrap()
        };
        let filter = CardFilter::default();
        let a1 = card(store.scorecards(oct(), &filter).await.unwrap());
        let lib = a1.library.iter().find(|l| l.kpi == "behaviour").unwrap();
        assert_eq!((lib.numerator, lib.denominator), (dec!(80), dec!(1)));
        assert_eq!(lib.value, Some(dec!(80)));
        let item = a1
            .kpis
            .iter()
            .find(|k| k.value.numerator == dec!(80))
            .expect("the behaviour item is scored");
        assert_eq!(item.score, Some(dec!(80)));

        service::rate_behaviour(&store, &rating(c.a1, c.t1, 2))
            .await
            .unwrap();
        let ratings = store
            .behaviour_ratings(oct(), Some(c.t1), None)
            .await
            .unwrap();
        assert_eq!(ratings.len(), 1);
        assert_eq!((ratings[0].level, ratings[0].rated_by.as_str()), (2, "sup"));
        let a1 = card(store.scorecards(oct(), &filter).await.unwrap());
        let lib = a1.library.iter().find(|l| l.kpi == "behaviour").unwrap();
        assert_eq!(lib.value, Some(dec!(40)));

        let log = store.audit_log(PageReq::default()).await.unwrap().items;
        let rates: Vec<_> = log.iter().filter(|e| e.kind == "behaviour.rate").collect();
        assert_eq!(rates.len(), 2);
        assert_eq!(rates[0].detail["level"], 2);
        assert_eq!(rates[0].detail["previous_level"], 4);
        assert!(matches!(
            store.verify_audit_chain().await.unwrap(),
            jixiao_store::AuditVerification::Intact { .. }
        ));
    }
);

contract_test!(
    a_rating_outside_the_team_with_a_bad_level_or_in_a_closed_period_is_refused,
    |store| async move {
        let c = center(&store).await;
        // A003 joined T2 only.
        assert!(matches!(
            store.rate_behaviour(&rating(c.a3, c.t1, 3)).await,
            Err(StoreError::NotFound(_))
        ));
        let e = store
            .rate_behaviour(&rating(c.a1, c.t1, 6))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "invalid_value");
        service::close(&store, oct(), "boss", at("2026-11-03T00:00:00Z"))
            .await
            .unwrap();
        assert!(matches!(
            store.rate_behaviour(&rating(c.a1, c.t1, 3)).await,
            Err(StoreError::PeriodClosed(_))
        ));
        assert!(
            store
                .behaviour_ratings(oct(), None, None)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

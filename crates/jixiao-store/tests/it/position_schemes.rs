//! Position schemes (issue 4): a position's scheme within a department overrides the
//! department's on its employees' cards, is audited, rescoring computed periods; a closed
//! period keeps its snapshot. Forced-distribution quotas move grades when the compute grades.

use crate::fixtures::*;
use jixiao_core::kpi::KpiCode;
use jixiao_core::scorecard::{SchemeSource, Scorecard};
use jixiao_store::{AuditFilter, CardFilter, PageReq, Store, contract_test, service};
use rust_decimal::{Decimal, dec};

/// The fixture scheme with points at `points` % and QA making up the rest of their 65 %.
fn quality_heavy(points: i64) -> jixiao_core::scheme::Scheme {
    let mut s = scheme();
    s.items[0].weight = Decimal::from(points);
    s.items[3].weight = Decimal::from(65 - points);
    s
}

async fn cards(store: &Store, period: jixiao_core::Period) -> Vec<Scorecard> {
    store
        .scorecards(period, &CardFilter::default())
        .await
        .unwrap()
}

fn weight(card: &Scorecard, kpi: KpiCode) -> Decimal {
    card.kpis.iter().find(|k| k.kpi == kpi).unwrap().weight
}

async fn rules_audits(store: &Store) -> Vec<jixiao_store::AuditEntry> {
    let filter = AuditFilter {
        kind: Some("rules.update".into()),
        ..AuditFilter::default()
    };
    let page = PageReq {
        page: 1,
        per_page: 50,
    };
    store.audit_search(&filter, page).await.unwrap().items
}

contract_test!(
    a_position_scheme_overrides_the_department_scheme_and_is_audited,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        service::recompute(&store, oct()).await.unwrap();
        for card in cards(&store, oct()).await {
            assert_eq!(weight(&card, KpiCode::Points), dec!(40));
            let u = card.scheme.as_ref().unwrap();
            assert_eq!(u.source, SchemeSource::Department);
        }
        // Every fixture employee is an "agent": their position's scheme now scores them.
        let when = at("2026-11-02T09:00:00Z");
        service::set_position_scheme(
            &store,
            c.dept,
            " agent ",
            &quality_heavy(20),
            Some(dec!(1.25)),
            "manager",
            when,
        )
        .await
        .unwrap();
        let stored = store.position_rules(c.dept, "agent").await.unwrap();
        assert_eq!(stored.scheme, quality_heavy(20));
        assert_eq!(stored.unit_price, Some(dec!(1.25)));
        let after = cards(&store, oct()).await;
        assert!(!after.is_empty());
        for card in &after {
            assert_eq!(
                weight(card, KpiCode::Points),
                dec!(20),
                "{}",
                card.employee_no
            );
            assert_eq!(weight(card, KpiCode::Qa), dec!(45));
            assert_eq!(card.unit_price, dec!(1.25));
            assert_eq!(
                card.scheme.as_ref().unwrap().source,
                SchemeSource::Position {
                    position: "agent".into()
                }
            );
            assert!(
                card.notes.iter().any(|n| n.contains("position \"agent\"")),
                "{:?}",
                card.notes
            );
        }
        let audits = rules_audits(&store).await;
        assert_eq!(audits.len(), 1);
        assert_eq!(
            audits[0].subject,
            format!("department:{}/position:agent", c.dept)
        );
        assert!(audits[0].detail["before"].is_null());
        assert_eq!(audits[0].detail["after"]["unit_price"], "1.25");
        // Saving again records the first as its before; no price keeps the department's.
        service::set_position_scheme(
            &store,
            c.dept,
            "agent",
            &quality_heavy(30),
            None,
            "manager",
            when,
        )
        .await
        .unwrap();
        let audits = rules_audits(&store).await;
        assert_eq!(audits.len(), 2);
        assert!(audits.iter().any(|a| {
            a.detail["before"]["scheme"] == serde_json::to_value(quality_heavy(20)).unwrap()
        }));
        for card in cards(&store, oct()).await {
            assert_eq!(weight(&card, KpiCode::Points), dec!(30));
            assert_eq!(card.unit_price, dec!(0.85));
        }
        // Another department's or position's scheme leaves these cards alone; an invalid
        // scheme or an empty position stores nothing.
        let mut bad = scheme();
        bad.items[0].weight += dec!(1);
        let err = service::set_position_scheme(&store, c.dept, "lead", &bad, None, "m", when)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "weights_not_100");
        let err = service::set_position_scheme(&store, c.dept, "  ", &scheme(), None, "m", when)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid_value");
        assert_eq!(store.all_position_rules().await.unwrap().len(), 1);
        assert_eq!(rules_audits(&store).await.len(), 2);
    }
);

contract_test!(
    a_closed_period_keeps_its_snapshot_when_a_position_scheme_is_saved,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let hash = service::close(&store, oct(), "boss", at("2026-11-03T00:00:00Z"))
            .await
            .unwrap();
        let before = cards(&store, oct()).await;
        service::set_position_scheme(
            &store,
            c.dept,
            "agent",
            &quality_heavy(20),
            Some(dec!(2)),
            "manager",
            at("2026-11-04T00:00:00Z"),
        )
        .await
        .unwrap();
        let after = cards(&store, oct()).await;
        assert_eq!(after, before);
        assert_eq!(jixiao_core::scorecard::snapshot_hash(&after), hash);
        for card in &after {
            assert_eq!(weight(card, KpiCode::Points), dec!(40));
        }
    }
);

contract_test!(
    a_schemes_quota_moves_grades_within_the_department_and_the_card_says_so,
    |store| async move {
        use jixiao_core::distribution::{Distribution, GradeQuota, QuotaScope};
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        service::recompute(&store, oct()).await.unwrap();
        let free = cards(&store, oct()).await;
        let graded_cards = free.iter().filter(|c| c.grade.is_some()).count();
        assert!(graded_cards >= 2);
        assert!(free.iter().all(|c| c.grade.as_deref() != Some("A")));
        // At least 50 % A: the best-ranked half (rounded up) is promoted.
        let mut s = scheme();
        s.distribution = Some(Distribution {
            enabled: true,
            within: QuotaScope::Department,
            quotas: vec![GradeQuota {
                grade: "A".into(),
                max_percent: None,
                min_percent: Some(dec!(50)),
            }],
        });
        service::set_scheme(&store, c.dept, &s, "manager", at("2026-11-02T09:00:00Z"))
            .await
            .unwrap();
        let graded = cards(&store, oct()).await;
        let moved: Vec<&Scorecard> = graded
            .iter()
            .filter(|c| {
                c.scheme
                    .as_ref()
                    .is_some_and(|u| u.grade_by_score.is_some())
            })
            .collect();
        assert_eq!(moved.len(), graded_cards.div_ceil(2));
        let lowest_promoted = moved.iter().filter_map(|c| c.total).min().unwrap();
        for card in &graded {
            let promoted = moved
                .iter()
                .any(|m| m.employee_no == card.employee_no && m.team_id == card.team_id);
            if promoted {
                assert_eq!(card.grade.as_deref(), Some("A"));
                assert!(
                    card.notes
                        .iter()
                        .any(|n| n.contains("by quota (A at least 50 %")),
                    "{:?}",
                    card.notes
                );
            } else if let Some(t) = card.total {
                assert!(t <= lowest_promoted, "the best-ranked are promoted");
            }
        }
    }
);

contract_test!(
    a_quarter_is_graded_by_the_scheme_of_each_agents_last_card,
    |store| async move {
        use jixiao_core::scheme::GradeBand;
        use jixiao_store::service::SpanOptions;
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        service::recompute(&store, oct()).await.unwrap();
        let q4: jixiao_core::span::Span = "2026-Q4".parse().unwrap();
        let view = |store: Store| async move {
            service::span_view(&store, q4, SpanOptions::default(), &CardFilter::default())
                .await
                .unwrap()
        };
        let before = view(store.clone()).await;
        assert!(before.rows.iter().any(|r| r.grade.is_some()));
        // The position's scheme grades every score "P" (one band from 0): the quarter's
        // grades follow, since every fixture employee holds that position.
        let mut own = scheme();
        own.grades = vec![GradeBand {
            grade: "P".into(),
            min_score: Decimal::ZERO,
        }];
        let when = at("2026-11-02T09:00:00Z");
        service::set_position_scheme(&store, c.dept, "agent", &own, None, "manager", when)
            .await
            .unwrap();
        let after = view(store.clone()).await;
        for r in after.rows.iter().filter(|r| r.agent.score.is_some()) {
            assert_eq!(r.grade.as_deref(), Some("P"), "{:?}", r.agent);
        }
        // Deleted again: the department's bands grade the quarter as before.
        service::delete_position_scheme(&store, c.dept, "agent", "manager", when)
            .await
            .unwrap();
        assert_eq!(view(store.clone()).await.rows, before.rows);
    }
);

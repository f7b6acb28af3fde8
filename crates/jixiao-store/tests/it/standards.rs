//! Point standards by date and per-department pay rules, and how compute uses them.

use crate::fixtures::*;
use jixiao_core::money::RoundingRule;
use jixiao_core::org::TypeCode;
use jixiao_core::pay::{BonusBand, BonusTable, PayLineKind};
use jixiao_core::points::{PointStandard, PointUnit};
use jixiao_core::scorecard::PayRules;
use jixiao_store::{StoreError, contract_test, service};
use rust_decimal::{Decimal, dec};

fn standard(code: &str, coefficient: Decimal, from: &str) -> PointStandard {
    PointStandard {
        type_code: TypeCode::parse(code).unwrap(),
        unit: PointUnit::PerInteraction,
        coefficient,
        effective_from: d(from),
    }
}

contract_test!(
    a_period_is_scored_with_the_standard_in_force_on_its_first_day,
    |store| async move {
        center(&store).await;
        let now = at("2026-10-01T08:00:00Z");
        for s in [
            standard("INQ", dec!(2), "2026-10-01"),
            standard("INQ", dec!(3), "2026-10-15"),
        ] {
            store.add_point_standard(&s, "boss", now).await.unwrap();
        }
        let book = store.standard_book().await.unwrap();
        let inq = TypeCode::parse("INQ").unwrap();
        assert_eq!(
            book.standard_for(&inq, d("2026-10-20"))
                .unwrap()
                .coefficient,
            dec!(3)
        );
        assert!(book.standard_for(&inq, d("2026-09-30")).is_none());
        let listed = store.point_standards().await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[1].created_by, "boss");
        assert_eq!(listed[1].created_at, now);

        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let cards = service::compute(&store, oct()).await.unwrap();
        let lines: Vec<_> = cards.iter().flat_map(|c| &c.points_lines).collect();
        assert!(lines.iter().any(|l| l.business_type == inq));
        for l in lines {
            // INQ from its October 1st standard; CMP has none and keeps its own coefficient.
            let expected = if l.business_type == inq {
                dec!(2)
            } else {
                dec!(1.2345)
            };
            assert_eq!(l.coefficient, expected, "{}", l.business_type);
        }
    }
);

contract_test!(
    a_standard_dated_in_or_before_a_closed_period_is_refused,
    |store| async move {
        center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        service::close(&store, oct(), "boss", at("2026-11-02T09:00:00Z"))
            .await
            .unwrap();
        let now = at("2026-11-03T09:00:00Z");
        for day in ["2026-10-20", "2026-09-01"] {
            let r = store
                .add_point_standard(&standard("INQ", dec!(2), day), "boss", now)
                .await;
            assert!(
                matches!(r, Err(StoreError::PeriodClosed(p)) if p == oct()),
                "{day}"
            );
        }
        let next = standard("INQ", dec!(2), "2026-11-01");
        store.add_point_standard(&next, "boss", now).await.unwrap();
        let again = store.add_point_standard(&next, "boss", now).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))));
        let per_minute = PointStandard {
            unit: PointUnit::PerMinute,
            ..standard("CMP", dec!(0.1), "2026-12-01")
        };
        assert!(
            store
                .add_point_standard(&per_minute, "boss", now)
                .await
                .is_err()
        );
        assert_eq!(store.point_standards().await.unwrap().len(), 1);
    }
);

contract_test!(
    pay_rules_round_trip_and_every_payslip_adds_up_to_the_variable_pay,
    |store| async move {
        let c = center(&store).await;
        assert_eq!(store.pay_rules(c.dept).await.unwrap(), PayRules::default());
        let band = |min_score, coefficient| BonusBand {
            min_score,
            coefficient,
        };
        let rules = PayRules {
            bonus_base: dec!(1000.50),
            bonus_table: BonusTable::new(vec![band(dec!(60), dec!(1.2)), band(dec!(0), dec!(0.5))])
                .unwrap(),
            rounding: RoundingRule { dp: 1 },
            budget: Some(dec!(5000)),
        };
        store.set_pay_rules(c.dept, &rules).await.unwrap();
        assert_eq!(store.pay_rules(c.dept).await.unwrap(), rules);

        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let cards = service::compute(&store, oct()).await.unwrap();
        assert!(!cards.is_empty());
        for card in &cards {
            let sum: Decimal = card.pay_lines.iter().map(|l| l.amount).sum();
            assert_eq!(card.variable_pay, sum, "{}", card.employee_no);
            assert_eq!(card.rounding_dp, Some(1));
            let bonus = &card.pay_lines[1];
            assert_eq!(bonus.kind, PayLineKind::KpiBonus);
            let expected = card
                .total
                .map_or(Decimal::ZERO, |t| rules.bonus_table.coefficient(t));
            assert_eq!(bonus.quantity, expected);
            assert_eq!(
                card.pay_lines[0].amount,
                jixiao_core::money::round_half_up(card.points * dec!(0.85), 1)
            );
        }
    }
);

contract_test!(
    total_variable_pay_is_checked_against_the_department_budget,
    |store| async move {
        let c = center(&store).await;
        assert!(
            service::budget_checks(&store, &[oct()])
                .await
                .unwrap()
                .is_empty()
        );
        let rules = PayRules {
            budget: Some(dec!(1)),
            ..PayRules::default()
        };
        store.set_pay_rules(c.dept, &rules).await.unwrap();
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let cards = service::recompute(&store, oct()).await.unwrap();
        let pay: Decimal = cards.iter().map(|c| c.variable_pay).sum();
        let checks = service::budget_checks(&store, &[oct()]).await.unwrap();
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].department, "Calls");
        assert_eq!(checks[0].check.total_pay, pay);
        assert_eq!(checks[0].check.difference, pay - dec!(1));
        assert_eq!(checks[0].check.status, jixiao_core::pay::BudgetStatus::Over);
    }
);

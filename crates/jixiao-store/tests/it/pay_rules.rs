//! Reward and penalty rules: stored, audited, applied as payslip lines with their reason.

use crate::fixtures::*;
use jixiao_core::pay::{AdjustmentKind, PayAdjustmentRule, PayLineKind, RuleTrigger};
use jixiao_store::{CardFilter, PageReq, contract_test, service};
use rust_decimal::dec;

fn per_critical() -> PayAdjustmentRule {
    PayAdjustmentRule {
        kind: AdjustmentKind::Penalty,
        trigger: RuleTrigger::PerEvent {
            measure: "qa_critical_failures".into(),
        },
        amount: dec!(50.125),
        cap: None,
        reason: "critical QA failure".into(),
    }
}

contract_test!(
    a_penalty_rule_becomes_a_payslip_line_with_its_reason_and_retiring_it_removes_it,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let id = service::add_pay_rule(
            &store,
            Some(c.dept),
            &per_critical(),
            "boss",
            at("2026-10-05T00:00:00Z"),
        )
        .await
        .unwrap();
        // Another department's rule does not apply here.
        let other = store.upsert_department("SALES", "Sales").await.unwrap();
        let mut reward = per_critical();
        reward.kind = AdjustmentKind::Reward;
        service::add_pay_rule(
            &store,
            Some(other),
            &reward,
            "boss",
            at("2026-10-05T00:00:00Z"),
        )
        .await
        .unwrap();
        let stored = store.pay_adjustment_rules().await.unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!((stored[0].id, &stored[0].rule), (id, &per_critical()));
        let cards = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();
        let a1 = cards.iter().find(|k| k.employee_id == c.a1).unwrap();
        let penalty = a1
            .pay_lines
            .iter()
            .find(|l| l.kind == PayLineKind::Penalty)
            .unwrap();
        // One critical failure × 50.125, to fen half away from zero.
        assert_eq!(penalty.amount, dec!(-50.13));
        assert_eq!(
            penalty.note.as_deref(),
            Some("critical QA failure: 1 × 50.125 per qa_critical_failures")
        );
        assert!(a1.pay_lines.iter().all(|l| l.kind != PayLineKind::Reward));
        let lines: rust_decimal::Decimal = a1.pay_lines.iter().map(|l| l.amount).sum();
        assert_eq!(a1.variable_pay, lines);
        // A002 had no critical failure: no line.
        let a2 = cards.iter().find(|k| k.employee_id == c.a2).unwrap();
        assert!(a2.pay_lines.iter().all(|l| l.kind != PayLineKind::Penalty));

        service::retire_pay_rule(&store, id, "boss", at("2026-10-06T00:00:00Z"))
            .await
            .unwrap();
        let cards = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();
        let a1 = cards.iter().find(|k| k.employee_id == c.a1).unwrap();
        assert!(a1.pay_lines.iter().all(|l| l.kind != PayLineKind::Penalty));
        let again = service::retire_pay_rule(&store, id, "boss", at("2026-10-06T00:00:00Z")).await;
        assert_eq!(again.unwrap_err().code(), "not_found");
        let log = store.audit_log(PageReq::default()).await.unwrap();
        let kinds: Vec<&str> = log.items.iter().map(|e| e.kind.as_str()).collect();
        assert!(
            kinds.contains(&"pay_rule.add") && kinds.contains(&"pay_rule.retire"),
            "{kinds:?}"
        );
        // An invalid rule is refused before anything is stored.
        let mut bad = per_critical();
        bad.amount = dec!(0);
        let err =
            service::add_pay_rule(&store, None, &bad, "boss", at("2026-10-07T00:00:00Z")).await;
        assert_eq!(err.unwrap_err().code(), "invalid_value");
    }
);

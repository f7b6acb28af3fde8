use rust_decimal::dec;

use super::*;
use crate::kpi::Unit;
use crate::money::RoundingRule;
use crate::pay::PayLineKind;
use crate::scorecard::{LibraryValue, PayRules, apply_pay};

fn card(points: Decimal, grade: Option<&str>, critical: u32, days: u32) -> Scorecard {
    Scorecard {
        scheme: None,
        employee_id: 1,
        employee_no: "A001".into(),
        name: String::new(),
        team_id: 1,
        days,
        handled: 10,
        points,
        points_lines: vec![],
        kpis: vec![],
        total: Some(dec!(91)),
        grade: grade.map(Into::into),
        rank_in_team: None,
        unit_price: dec!(1),
        variable_pay: Decimal::ZERO,
        rounding: String::new(),
        rounding_dp: None,
        pay_lines: vec![],
        notes: vec![],
        measures: vec![],
        library: vec![LibraryValue {
            kpi: "qa_critical_rate".into(),
            numerator: critical.into(),
            denominator: dec!(4),
            value: None,
            unit: Unit::Percent,
            version: None,
        }],
        adjustments: vec![],
        unit_attainment: None,
    }
}

fn rule(kind: AdjustmentKind, trigger: RuleTrigger, amount: Decimal) -> PayAdjustmentRule {
    PayAdjustmentRule {
        kind,
        trigger,
        amount,
        cap: None,
        reason: "rule".into(),
    }
}

fn no_target(_: &str) -> Option<Decimal> {
    None
}

fn ctx(target_of: &dyn Fn(&str) -> Option<Decimal>) -> RuleContext<'_> {
    RuleContext {
        period_days: 30,
        target_of,
    }
}

#[test]
fn a_grade_reward_applies_to_that_grade_only_and_a_short_segment_gets_its_share() {
    let r = [rule(
        AdjustmentKind::Reward,
        RuleTrigger::Grade { grade: "A".into() },
        dec!(300),
    )];
    let got = rule_adjustments(&card(dec!(1), Some("A"), 0, 30), &r, ctx(&no_target));
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].amount, got[0].reason.as_str()),
        (dec!(300), "rule: grade A")
    );
    assert!(rule_adjustments(&card(dec!(1), Some("B"), 0, 30), &r, ctx(&no_target)).is_empty());
    let short = rule_adjustments(&card(dec!(1), Some("A"), 0, 10), &r, ctx(&no_target));
    assert_eq!(short[0].amount, dec!(100));
    assert!(
        short[0].reason.contains("10/30 days"),
        "{}",
        short[0].reason
    );
}

#[test]
fn a_penalty_per_critical_failure_counts_the_failures_and_rounds_half_away_from_zero() {
    let r = [rule(
        AdjustmentKind::Penalty,
        RuleTrigger::PerEvent {
            measure: "qa_critical_failures".into(),
        },
        dec!(12.3425),
    )];
    let c = card(dec!(100), None, 2, 30);
    let adj = rule_adjustments(&c, &r, ctx(&no_target));
    assert_eq!(adj[0].amount, dec!(24.6850));
    assert_eq!(adj[0].reason, "rule: 2 × 12.3425 per qa_critical_failures");
    let mut c = c;
    apply_pay(&mut c, &PayRules::default(), 30, &adj).unwrap();
    let line = c.pay_lines.last().unwrap();
    assert_eq!(line.kind, PayLineKind::Penalty);
    // −24.685 to fen is −24.69 (half away from zero), never the banker's −24.68.
    assert_eq!(line.amount, dec!(-24.69));
    assert_eq!(c.variable_pay, dec!(100) - dec!(24.69));
    assert!(rule_adjustments(&card(dec!(1), None, 0, 30), &r, ctx(&no_target)).is_empty());
}

#[test]
fn a_reward_per_point_above_the_agents_target_is_exact_until_the_payslip_rounds_it() {
    let r = [rule(
        AdjustmentKind::Reward,
        RuleTrigger::PerUnitAbove {
            measure: "points".into(),
            threshold: None,
        },
        dec!(0.35),
    )];
    let c = card(dec!(1300.1234), None, 0, 30);
    assert!(
        rule_adjustments(&c, &r, ctx(&no_target)).is_empty(),
        "no target, no reward"
    );
    let target = |m: &str| (m == "points").then_some(dec!(1234.5678));
    let adj = rule_adjustments(&c, &r, ctx(&target));
    assert_eq!(adj[0].amount, dec!(22.944460));
    assert_eq!(
        adj[0].reason,
        "rule: 65.5556 points above target 1234.5678 × 0.35"
    );
    let mut c = c;
    let rules = PayRules {
        rounding: RoundingRule { dp: 1 },
        ..PayRules::default()
    };
    apply_pay(&mut c, &rules, 30, &adj).unwrap();
    assert_eq!(c.pay_lines.last().unwrap().amount, dec!(22.9));
    // Below the target: nothing.
    let below = card(dec!(1200), None, 0, 30);
    assert!(rule_adjustments(&below, &r, ctx(&target)).is_empty());
}

#[test]
fn a_cap_limits_a_rule_and_says_so() {
    let mut r = rule(
        AdjustmentKind::Reward,
        RuleTrigger::PerUnitAbove {
            measure: "total".into(),
            threshold: Some(dec!(80)),
        },
        dec!(10),
    );
    r.cap = Some(dec!(50));
    let adj = rule_adjustments(&card(dec!(1), None, 0, 30), &[r], ctx(&no_target));
    assert_eq!(adj[0].amount, dec!(50));
    assert!(adj[0].reason.ends_with("capped at 50"), "{}", adj[0].reason);
}

#[test]
fn rules_without_amount_reason_or_a_known_event_are_refused() {
    let ok = rule(
        AdjustmentKind::Penalty,
        RuleTrigger::PerEvent {
            measure: "late_count".into(),
        },
        dec!(5),
    );
    ok.validate().unwrap();
    let mut r = ok.clone();
    r.amount = dec!(0);
    assert_eq!(r.validate().unwrap_err().code(), "invalid_value");
    let mut r = ok.clone();
    r.reason = " ".into();
    assert!(r.validate().is_err());
    let mut r = ok;
    r.trigger = RuleTrigger::PerEvent {
        measure: "aht".into(),
    };
    assert!(r.validate().is_err());
}

#[test]
fn a_rule_reads_back_from_its_json() {
    let json = r#"{"kind":"reward","trigger":{"when":"per_unit_above","measure":"points"},"amount":"0.35","reason":"超额积分"}"#;
    let r: PayAdjustmentRule = serde_json::from_str(json).unwrap();
    assert_eq!(
        r.trigger,
        RuleTrigger::PerUnitAbove {
            measure: "points".into(),
            threshold: None
        }
    );
    let back: PayAdjustmentRule =
        serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
}

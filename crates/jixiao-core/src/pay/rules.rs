//! Reward and penalty rules a manager configures (奖惩规则): each rule turns a card into at
//! most one reward or penalty line of the payslip, with its reason spelled out: "grade A",
//! "2 × 50 per critical QA failure", "65.4322 points above target 1234.5678 × 0.35".
//!
//! The amount is exact (count × rate); the payslip rounds each line by the department's
//! rounding rule and prints it, so the lines add up as printed.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Adjustment, AdjustmentKind};
use crate::CoreError;
use crate::scorecard::Scorecard;
use crate::targets::card_actual;

/// Counted events a per-event rule may pay or charge for, each read from the card.
pub const EVENT_MEASURES: [&str; 6] = [
    "qa_critical_failures",
    "complaints_upheld",
    "late_count",
    "transferred",
    "reopened",
    "orders_refunded",
];

/// What makes a rule apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "when", rename_all = "snake_case")]
pub enum RuleTrigger {
    /// Once, when the card's grade is `grade` (prorated by the segment's days, like the bonus
    /// base, so a mover earns it once in all).
    Grade {
        /// The grade, for example `A`.
        grade: String,
    },
    /// Per event (`EVENT_MEASURES`): −50 per critical QA failure.
    PerEvent {
        /// The counted event.
        measure: String,
    },
    /// Per unit of a measure above a threshold: 0.35 per point above target. The measure is
    /// an additive target measure (`points`, `handled` …), `total` (the score) or any library
    /// KPI's value (`csat`).
    PerUnitAbove {
        /// The measure.
        measure: String,
        /// The threshold; `None` is the agent's own target of the measure in the period
        /// (docs/KPIS.md, "Targets"), and no target means the rule does not apply.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        threshold: Option<Decimal>,
    },
}

/// A reward or penalty rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayAdjustmentRule {
    /// Reward (+) or penalty (−).
    pub kind: AdjustmentKind,
    /// When it applies.
    pub trigger: RuleTrigger,
    /// The amount once, per event or per unit, > 0.
    pub amount: Decimal,
    /// The most one card may get from the rule (`None`: no cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Decimal>,
    /// Why, printed on the payslip before the computation.
    pub reason: String,
}

impl PayAdjustmentRule {
    /// Checks the amount, cap, reason and measure.
    pub fn validate(&self) -> Result<(), CoreError> {
        let bad = |v: &str, r: &str| Err(CoreError::invalid("pay rule", v, r));
        if self.amount <= Decimal::ZERO {
            return bad(&self.amount.to_string(), "the amount must be above 0");
        }
        if self.cap.is_some_and(|c| c <= Decimal::ZERO) {
            return bad("cap", "a cap must be above 0");
        }
        if self.reason.trim().is_empty() {
            return bad("", "needs a reason");
        }
        match &self.trigger {
            RuleTrigger::Grade { grade } if grade.trim().is_empty() => bad("", "needs a grade"),
            RuleTrigger::PerEvent { measure } if !EVENT_MEASURES.contains(&measure.as_str()) => {
                bad(
                    measure,
                    "not a counted event (qa_critical_failures, complaints_upheld, late_count, transferred, reopened, orders_refunded)",
                )
            }
            RuleTrigger::PerUnitAbove { measure, .. } if measure.trim().is_empty() => {
                bad("", "needs a measure")
            }
            _ => Ok(()),
        }
    }
}

/// A measure's value on a card for the rules: the additive target measures, the counted
/// events, `total`, or a library KPI's value; `None` when the card has no such value.
pub fn rule_measure(card: &Scorecard, measure: &str) -> Option<Decimal> {
    let lib = |code: &str| card.library.iter().find(|v| v.kpi == code);
    if let Some(v) = card_actual(card, measure) {
        return Some(v);
    }
    let numerator_of = |code: &str| Some(lib(code).map_or(Decimal::ZERO, |v| v.numerator));
    match measure {
        "total" => card.total,
        "qa_critical_failures" => numerator_of("qa_critical_rate"),
        "late_count" => numerator_of("lateness_rate"),
        "transferred" => numerator_of("transfer_rate"),
        "reopened" => numerator_of("reopen_rate"),
        "orders_refunded" => numerator_of("refund_rate"),
        "complaints_upheld" => numerator_of("complaints_upheld"),
        other => lib(other).and_then(|v| v.value),
    }
}

/// What a card is assessed with besides itself.
#[derive(Clone, Copy)]
pub struct RuleContext<'a> {
    /// Days of the period, for prorating once-per-period amounts.
    pub period_days: u32,
    /// The agent's own target of a measure in the period, if set.
    pub target_of: &'a dyn Fn(&str) -> Option<Decimal>,
}

/// The rewards and penalties `rules` give `card`, in rule order, each with its reason and
/// the computation; rules that do not apply give nothing.
pub fn rule_adjustments(
    card: &Scorecard,
    rules: &[PayAdjustmentRule],
    ctx: RuleContext<'_>,
) -> Vec<Adjustment> {
    rules
        .iter()
        .filter_map(|r| {
            let (amount, how) = match &r.trigger {
                RuleTrigger::Grade { grade } => {
                    if card.grade.as_deref() != Some(grade.as_str()) {
                        return None;
                    }
                    if card.days < ctx.period_days && ctx.period_days > 0 {
                        // Multiplied before dividing, so a whole share stays exact.
                        let share =
                            r.amount * Decimal::from(card.days) / Decimal::from(ctx.period_days);
                        let days = format!("{}/{} days", card.days, ctx.period_days);
                        (share, format!("grade {grade}, {} × {days}", r.amount))
                    } else {
                        (r.amount, format!("grade {grade}"))
                    }
                }
                RuleTrigger::PerEvent { measure } => {
                    let n = rule_measure(card, measure)?;
                    if n <= Decimal::ZERO {
                        return None;
                    }
                    (
                        n * r.amount,
                        format!("{} × {} per {measure}", n.normalize(), r.amount),
                    )
                }
                RuleTrigger::PerUnitAbove { measure, threshold } => {
                    let (t, label) = match threshold {
                        Some(t) => (*t, t.normalize().to_string()),
                        None => {
                            let t = (ctx.target_of)(measure)?;
                            (t, format!("target {}", t.normalize()))
                        }
                    };
                    let v = rule_measure(card, measure)?;
                    let over = v.checked_sub(t)?;
                    if over <= Decimal::ZERO {
                        return None;
                    }
                    let how = format!(
                        "{} {measure} above {label} × {}",
                        over.normalize(),
                        r.amount
                    );
                    (over.checked_mul(r.amount)?, how)
                }
            };
            let (amount, how) = match r.cap {
                Some(cap) if amount > cap => (cap, format!("{how}, capped at {cap}")),
                _ => (amount, how),
            };
            (amount > Decimal::ZERO).then(|| Adjustment {
                kind: r.kind,
                amount,
                reason: format!("{}: {how}", r.reason.trim()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;

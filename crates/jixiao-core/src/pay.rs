//! Variable pay per agent: points × unit price, plus a KPI bonus (the coefficient of the
//! score's band × the bonus base), plus rewards, minus penalties, each with its reason.
//!
//! Every line is rounded by the configured rule and the total is the sum of the rounded
//! lines, so the payslip adds up as printed; the rule itself is printed on the payslip. A
//! total may be negative when penalties exceed the rest: it is shown, not hidden, and
//! whether it is carried over is a payroll decision outside the engine.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::money::RoundingRule;

/// A band of the score-to-coefficient table: totals at `min_score` or above earn `coefficient`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BonusBand {
    /// The lowest total score (inclusive) of the band.
    pub min_score: Decimal,
    /// The multiple of the bonus base the band earns (1.2 = 120 %).
    pub coefficient: Decimal,
}

/// The score-to-coefficient table, bands best first, the last starting at 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<BonusBand>", into = "Vec<BonusBand>")]
pub struct BonusTable(Vec<BonusBand>);

impl BonusTable {
    /// Checks bands run strictly downwards to 0 and coefficients are ≥ 0 and never rise.
    pub fn new(bands: Vec<BonusBand>) -> Result<BonusTable, CoreError> {
        let err = |r: &str| Err(CoreError::rule("bonus table", r));
        if bands.last().map(|b| b.min_score) != Some(Decimal::ZERO) {
            return err("the last band must start at 0");
        }
        if bands.iter().any(|b| b.coefficient < Decimal::ZERO) {
            return err("coefficients must not be negative");
        }
        for w in bands.windows(2) {
            if w[1].min_score >= w[0].min_score || w[1].coefficient > w[0].coefficient {
                return err("bands must be listed best first, scores and coefficients going down");
            }
        }
        Ok(BonusTable(bands))
    }

    /// The coefficient a total score earns.
    pub fn coefficient(&self, score: Decimal) -> Decimal {
        self.0
            .iter()
            .find(|b| score >= b.min_score)
            .map_or(Decimal::ZERO, |b| b.coefficient)
    }

    /// The bands, best first.
    pub fn bands(&self) -> &[BonusBand] {
        &self.0
    }
}

impl TryFrom<Vec<BonusBand>> for BonusTable {
    type Error = CoreError;
    fn try_from(v: Vec<BonusBand>) -> Result<Self, CoreError> {
        BonusTable::new(v)
    }
}

impl From<BonusTable> for Vec<BonusBand> {
    fn from(t: BonusTable) -> Self {
        t.0
    }
}

/// A reward or a penalty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    /// Added to pay.
    Reward,
    /// Taken from pay.
    Penalty,
}

/// A reward or penalty with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    /// Reward or penalty.
    pub kind: AdjustmentKind,
    /// The amount, > 0; the kind gives the sign.
    pub amount: Decimal,
    /// Why, as printed on the payslip; required.
    pub reason: String,
}

/// What one agent's pay is computed from.
#[derive(Debug, Clone)]
pub struct PayInput<'a> {
    /// Workload points of the period.
    pub points: Decimal,
    /// Pay per point (per department or position).
    pub unit_price: Decimal,
    /// The total score; `None` ("no data") earns no KPI bonus.
    pub score: Option<Decimal>,
    /// The KPI bonus base.
    pub bonus_base: Decimal,
    /// The score-to-coefficient table.
    pub bonus_table: &'a BonusTable,
    /// Rewards and penalties.
    pub adjustments: &'a [Adjustment],
    /// How every line is rounded.
    pub rounding: RoundingRule,
}

/// The kind of a payslip line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayLineKind {
    /// points × unit price.
    Points,
    /// coefficient × bonus base.
    KpiBonus,
    /// A reward.
    Reward,
    /// A penalty (a negative amount).
    Penalty,
}

/// One payslip line: quantity × rate = amount, rounded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayLine {
    /// What the line is.
    pub kind: PayLineKind,
    /// Points, the bonus coefficient, or 1 for an adjustment.
    pub quantity: Decimal,
    /// Unit price, bonus base, or the adjustment's amount (negative for a penalty).
    pub rate: Decimal,
    /// quantity × rate, rounded by the rule.
    pub amount: Decimal,
    /// The adjustment's reason, or why a KPI bonus is 0 with no score.
    pub note: Option<String>,
}

/// An agent's variable pay, line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payslip {
    /// The lines: points, KPI bonus, then adjustments in the order given.
    pub lines: Vec<PayLine>,
    /// Σ line amounts.
    pub total: Decimal,
    /// The rounding rule, as printed.
    pub rounding: String,
    /// Decimal places amounts are rounded to.
    pub rounding_dp: u32,
}

/// Computes a payslip. Fails on a negative price, base or amount, a missing reason, or an
/// amount too large to compute exactly.
pub fn payslip(input: &PayInput<'_>) -> Result<Payslip, CoreError> {
    let negative = |what: &'static str, v: Decimal| {
        (v < Decimal::ZERO)
            .then(|| CoreError::invalid(what, &v.to_string(), "must not be negative"))
    };
    let checks = [
        negative("unit price", input.unit_price),
        negative("bonus base", input.bonus_base),
    ];
    if let Some(e) = checks.into_iter().flatten().next() {
        return Err(e);
    }
    let r = input.rounding;
    let line = |kind, quantity: Decimal, rate: Decimal, note| -> Result<PayLine, CoreError> {
        let amount = quantity
            .checked_mul(rate)
            .map(|a| r.apply(a))
            .ok_or_else(|| CoreError::invalid("pay", &quantity.to_string(), "too large"))?;
        Ok(PayLine {
            kind,
            quantity,
            rate,
            amount,
            note,
        })
    };
    let mut lines = vec![line(
        PayLineKind::Points,
        input.points,
        input.unit_price,
        None,
    )?];
    lines.push(match input.score {
        Some(s) => line(
            PayLineKind::KpiBonus,
            input.bonus_table.coefficient(s),
            input.bonus_base,
            None,
        )?,
        None => line(
            PayLineKind::KpiBonus,
            Decimal::ZERO,
            input.bonus_base,
            Some("no total score: no KPI bonus".into()),
        )?,
    });
    for a in input.adjustments {
        if a.amount <= Decimal::ZERO {
            return Err(CoreError::invalid(
                "adjustment",
                &a.amount.to_string(),
                "must be above 0",
            ));
        }
        if a.reason.trim().is_empty() {
            return Err(CoreError::invalid(
                "adjustment",
                &a.amount.to_string(),
                "needs a reason",
            ));
        }
        let (kind, rate) = match a.kind {
            AdjustmentKind::Reward => (PayLineKind::Reward, a.amount),
            AdjustmentKind::Penalty => (PayLineKind::Penalty, -a.amount),
        };
        lines.push(line(kind, Decimal::ONE, rate, Some(a.reason.clone()))?);
    }
    let total = sum(lines.iter().map(|l| l.amount))?;
    Ok(Payslip {
        lines,
        total,
        rounding: r.describe(),
        rounding_dp: r.dp,
    })
}

fn sum(amounts: impl Iterator<Item = Decimal>) -> Result<Decimal, CoreError> {
    let mut total = Decimal::ZERO;
    for a in amounts {
        total = total
            .checked_add(a)
            .ok_or_else(|| CoreError::invalid("pay", &a.to_string(), "total too large"))?;
    }
    Ok(total)
}

/// Whether total variable pay is within the labour budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetStatus {
    /// More than the budget.
    Over,
    /// Exactly the budget.
    OnBudget,
    /// Less than the budget.
    Under,
}

/// Total variable pay against the labour budget of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetCheck {
    /// Σ payslip totals.
    pub total_pay: Decimal,
    /// The budget.
    pub budget: Decimal,
    /// total − budget: positive when over.
    pub difference: Decimal,
    /// Over, on or under.
    pub status: BudgetStatus,
    /// total ÷ budget × 100, two decimals; `None` for a budget of 0.
    pub used_percent: Option<Decimal>,
}

/// Compares the sum of the payslips' totals with the budget.
pub fn budget_check(payslips: &[Payslip], budget: Decimal) -> Result<BudgetCheck, CoreError> {
    let total_pay = sum(payslips.iter().map(|p| p.total))?;
    let difference = total_pay
        .checked_sub(budget)
        .ok_or_else(|| CoreError::invalid("budget", &budget.to_string(), "too large"))?;
    let status = match difference.cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Greater => BudgetStatus::Over,
        std::cmp::Ordering::Equal => BudgetStatus::OnBudget,
        std::cmp::Ordering::Less => BudgetStatus::Under,
    };
    Ok(BudgetCheck {
        total_pay,
        budget,
        difference,
        status,
        used_percent: crate::targets::attainment(total_pay, budget),
    })
}

mod rules;
pub use rules::{
    EVENT_MEASURES, PayAdjustmentRule, RuleContext, RuleTrigger, rule_adjustments, rule_measure,
};

#[cfg(test)]
mod tests;

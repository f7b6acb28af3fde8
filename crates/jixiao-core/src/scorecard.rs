//! Scorecards: one per agent per team segment of a period, every number with its explanation.

mod hash;
mod items;
mod library;
mod payslip;
mod quotas;
mod rank;
mod relative;
mod unit;

pub use hash::snapshot_hash;
pub(crate) use library::split_ratio as library_split_ratio;
pub use library::{CustomKpi, LibraryValue, add_custom_values, library_values, unit_symbol};
pub use payslip::{PayRules, apply_pay};
pub use quotas::{SchemeSource, SchemeUse, apply_grade_quotas, mark_scheme};
pub use rank::rank_in_teams;
pub use relative::apply_percentile_items;
pub use unit::apply_unit_attainment;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::kpi::{KpiCode, KpiValue, MeasureTotals, Partial};
use crate::money::{RoundingRule, round_half_up};
use crate::org::TypeCode;
use crate::scheme::{LinearRule, Scheme};
use crate::scoring::ScoringRule;

/// Everything the engine needs to score one agent's segment.
#[derive(Debug, Clone)]
pub struct SegmentInput<'a> {
    /// The employee.
    pub employee_id: i64,
    /// Their employee number.
    pub employee_no: &'a str,
    /// Their name.
    pub name: &'a str,
    /// The team this segment belongs to.
    pub team_id: i64,
    /// Days of the period spent in this team.
    pub days: u32,
    /// Days in the period.
    pub period_days: u32,
    /// The tallies of the segment.
    pub partial: &'a Partial,
    /// The segment's base measures (calls, surveys, QA, tickets, chats, orders, attendance),
    /// from which every library KPI is evaluated. Workload points are not taken from here:
    /// the engine computes them from the partial and the coefficients.
    pub totals: &'a MeasureTotals,
}

/// The rules in force for one department in one period.
#[derive(Debug, Clone)]
pub struct Rules<'a> {
    /// The assessment scheme.
    pub scheme: &'a Scheme,
    /// Point coefficient per business type.
    pub coefficients: &'a BTreeMap<TypeCode, Decimal>,
    /// Pay per point.
    pub unit_price: Decimal,
    /// How pay is rounded.
    pub rounding: RoundingRule,
}

/// One business type's contribution to the points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsLine {
    /// The business type.
    pub business_type: TypeCode,
    /// Handled calls of that type.
    pub handled: u64,
    /// Its coefficient.
    pub coefficient: Decimal,
    /// handled × coefficient.
    pub points: Decimal,
}

/// One KPI on a scorecard: value, inputs, rule, score and weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiResult {
    /// The KPI.
    pub kpi: KpiCode,
    /// Value, numerator and denominator.
    pub value: KpiValue,
    /// The value scoring 0, after proration.
    pub floor: Decimal,
    /// The value scoring 100, after proration.
    pub target: Decimal,
    /// The rule in English words (API, exports and cards stored before `linear`).
    pub rule: String,
    /// The rule as data, for pages in any language; `None` on cards stored before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linear: Option<LinearRule>,
    /// 0–100, or `None` when there is no data.
    pub score: Option<Decimal>,
    /// The configured weight in percent.
    pub weight: Decimal,
    /// The weight actually applied after spreading the weight of KPIs with no data.
    pub effective_weight: Option<Decimal>,
    /// The library KPI scored (see `SchemeItem::library_kpi`); `None` when it is `kpi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library_kpi: Option<String>,
    /// The configured rule when the item has one (`SchemeItem::scoring`); `None` for the
    /// linear rule kept in `linear`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring: Option<ScoringRule>,
    /// Points this item takes off the total, for an item deducting from the total
    /// (`SchemeItem::deducts_from_total`: weight 0, no `score`); `None` for every other item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deducted: Option<Decimal>,
}

/// One library KPI's value on a segment, with its numerator and denominator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// The KPI.
    pub kpi: KpiCode,
    /// Value, numerator and denominator.
    pub value: KpiValue,
}

/// A scored segment: one agent, one team, one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    /// Which scheme scored the card (the department's or a position's) and whether a
    /// forced-distribution quota moved its grade; set by [`mark_scheme`] and
    /// [`apply_grade_quotas`]. `None` on cards stored before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<SchemeUse>,
    /// The employee.
    pub employee_id: i64,
    /// Their employee number.
    pub employee_no: String,
    /// Their name.
    pub name: String,
    /// The team of the segment.
    pub team_id: i64,
    /// Days of the period in that team.
    pub days: u32,
    /// Handled calls.
    pub handled: u64,
    /// Workload points.
    pub points: Decimal,
    /// How the points were made.
    pub points_lines: Vec<PointsLine>,
    /// KPI results in scheme order.
    pub kpis: Vec<KpiResult>,
    /// Weighted total 0–100; `None` when no KPI had data.
    pub total: Option<Decimal>,
    /// The grade of the total.
    pub grade: Option<String>,
    /// Competition rank within the team (1, 2, 2, 4); set by [`rank_in_teams`].
    pub rank_in_team: Option<u32>,
    /// Pay per point.
    pub unit_price: Decimal,
    /// points × unit price, rounded by the rule.
    pub variable_pay: Decimal,
    /// The rounding rule, as printed in English.
    pub rounding: String,
    /// Decimal places pay is rounded to (half away from zero); `None` on cards stored before
    /// it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding_dp: Option<u32>,
    /// The payslip's lines (points pay, KPI bonus, rewards and penalties), whose amounts add
    /// up to `variable_pay`; set by [`apply_pay`]. Empty on cards stored before payslips.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pay_lines: Vec<crate::pay::PayLine>,
    /// Notes such as which KPIs had no data.
    pub notes: Vec<String>,
    /// Every KPI of the library evaluated on this segment, whether or not the scheme scores it,
    /// so that roll-ups (a center's AHT) cover every record, not only assessed KPIs. Empty on
    /// cards stored before it existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    /// Every KPI of the standard library (`kpi::STANDARD_KPIS`) evaluated on the segment's
    /// measures, each with its numerator and denominator. Empty on cards stored before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub library: Vec<LibraryValue>,
    /// Adjustments entered in this period (corrections to closed periods), already included
    /// in `points` and `variable_pay`. Empty on cards stored before they existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<crate::adjustment::AdjustmentLine>,
    /// A supervisor's or department head's unit attainment of its targets (docs/KPIS.md,
    /// "Targets"); set by [`apply_unit_attainment`], `None` for everyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_attainment: Option<crate::targets::UnitAttainment>,
}

impl KpiResult {
    /// The code of the KPI scored: the library KPI's, else `kpi`'s.
    pub fn code(&self) -> &str {
        self.library_kpi.as_deref().unwrap_or(self.kpi.as_str())
    }

    /// The scoring rule as data, read back from the words on cards stored before it was kept.
    pub fn linear_rule(&self) -> Option<LinearRule> {
        self.linear
            .or_else(|| LinearRule::from_description(&self.rule))
    }
}

impl Scorecard {
    /// The rounding rule as data, read back from the words on cards stored before it was kept.
    pub fn rounding_rule(&self) -> Option<RoundingRule> {
        self.rounding_dp
            .map(|dp| RoundingRule { dp })
            .or_else(|| RoundingRule::from_description(&self.rounding))
    }
}

/// Scores one segment. Pure: the same input always gives the same scorecard.
///
/// Items with a percentile rule get their score from [`apply_percentile_items`], which needs
/// every card of the period; until then they count as not scored.
pub fn score_segment(input: &SegmentInput<'_>, rules: &Rules<'_>) -> Scorecard {
    let p = input.partial;
    let points_lines: Vec<PointsLine> = p
        .by_type
        .iter()
        .map(|(code, t)| {
            let coefficient = rules.coefficients.get(code).copied().unwrap_or_default();
            PointsLine {
                business_type: code.clone(),
                handled: t.handled,
                coefficient,
                points: Decimal::from(t.handled) * coefficient,
            }
        })
        .collect();
    let points: Decimal = points_lines.iter().map(|l| l.points).sum();
    let library = library_values(&with_points(input.totals, points));
    let kpis = rules
        .scheme
        .items
        .iter()
        .map(|item| items::score_item(item, input, rules, &library))
        .collect();
    let mut card = Scorecard {
        scheme: None,
        employee_id: input.employee_id,
        employee_no: input.employee_no.to_string(),
        name: input.name.to_string(),
        team_id: input.team_id,
        days: input.days,
        handled: p.handled(),
        points,
        points_lines,
        kpis,
        grade: None,
        total: None,
        rank_in_team: None,
        unit_price: rules.unit_price,
        variable_pay: rules.rounding.apply(points * rules.unit_price),
        rounding: rules.rounding.describe(),
        rounding_dp: Some(rules.rounding.dp),
        pay_lines: Vec::new(),
        notes: Vec::new(),
        measures: KpiCode::ALL
            .into_iter()
            .map(|kpi| Measure {
                kpi,
                value: p.evaluate(kpi, rules.coefficients),
            })
            .collect(),
        library,
        adjustments: Vec::new(),
        unit_attainment: None,
    };
    finish(&mut card, rules.scheme);
    card
}

/// `totals` with `points` replaced by the engine's own, so no caller can count them twice.
fn with_points(totals: &MeasureTotals, points: Decimal) -> MeasureTotals {
    let pairs = totals.iter().filter(|(name, _)| *name != "points");
    // Sums of database integers and the card's points cannot overflow a Decimal's 96 bits in
    // practice; if they ever did, the library shows no data instead of failing the card.
    MeasureTotals::from_pairs(pairs.chain([("points", points)])).unwrap_or_default()
}

/// Effective weights, total, grade and notes from the KPIs' scores: the weight of a KPI
/// without a score is spread over the others in proportion to theirs, then the deductions of
/// items deducting from the total are subtracted (never below 0). Notes are rebuilt, so this
/// can run again after a post-pass has scored more KPIs.
pub(crate) fn finish(card: &mut Scorecard, scheme: &Scheme) {
    let weight_with_data = weight_with_data(&card.kpis);
    card.notes.clear();
    if let Some(note) = card.scheme.as_ref().and_then(SchemeUse::note) {
        card.notes.push(note);
    }
    for k in card.kpis.iter_mut() {
        k.effective_weight = None;
    }
    if weight_with_data.is_zero() {
        card.notes
            .push("no KPI has data: no total score".to_string());
        card.total = None;
        card.grade = None;
        return;
    }
    for k in card.kpis.iter_mut() {
        if let Some(d) = k.deducted.filter(|d| !d.is_zero()) {
            card.notes.push(format!(
                "{}: {} events deduct {d} points from the total",
                k.code(),
                k.value.value.unwrap_or_default().normalize()
            ));
        } else if k.score.is_some() {
            k.effective_weight = Some(round_half_up(
                k.weight * Decimal::ONE_HUNDRED / weight_with_data,
                2,
            ));
        } else if k.deducted.is_none() && !k.weight.is_zero() {
            let why = if k.value.value.is_none() {
                "no data"
            } else {
                "not scored yet (a percentile rank needs every card of the period)"
            };
            card.notes.push(format!(
                "{}: {why}; its weight of {} % is spread over the other KPIs",
                k.code(),
                k.weight
            ));
        }
    }
    card.total = total_of(&card.kpis);
    card.grade = card.total.map(|t| scheme.grade(t));
}

fn weight_with_data(kpis: &[KpiResult]) -> Decimal {
    kpis.iter()
        .filter(|k| k.score.is_some())
        .map(|k| k.weight)
        .sum()
}

/// The total of scored KPIs: Σ score × weight ÷ Σ weight of the KPIs with a score, two
/// decimals, minus every item's `deducted` points, never below 0; `None` when no weighted KPI
/// has a score (a deduction alone makes no total).
pub(crate) fn total_of(kpis: &[KpiResult]) -> Option<Decimal> {
    let weight = weight_with_data(kpis);
    if weight.is_zero() {
        return None;
    }
    let weighted: Decimal = kpis.iter().filter_map(|k| Some(k.score? * k.weight)).sum();
    let deducted: Decimal = kpis.iter().filter_map(|k| k.deducted).sum();
    Some((round_half_up(weighted / weight, 2) - deducted).max(Decimal::ZERO))
}

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_deduction;
#[cfg(test)]
mod tests_library;

//! Scorecards: one per agent per team segment of a period, every number with its explanation.

mod rank;

pub use rank::rank_in_teams;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::kpi::{KpiCode, KpiValue, Partial};
use crate::money::{RoundingRule, round_half_up};
use crate::org::TypeCode;
use crate::scheme::{LinearRule, Scheme};

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
    /// Notes such as which KPIs had no data.
    pub notes: Vec<String>,
    /// Every KPI of the library evaluated on this segment, whether or not the scheme scores it,
    /// so that roll-ups (a center's AHT) cover every record, not only assessed KPIs. Empty on
    /// cards stored before it existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
}

impl KpiResult {
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

    let mut kpis: Vec<KpiResult> = rules
        .scheme
        .items
        .iter()
        .map(|item| {
            let value = p.evaluate(item.kpi, rules.coefficients);
            let (floor, target) = item.bounds(input.days, input.period_days);
            let score = value
                .value
                .map(|v| crate::scheme::SchemeItem::score(v, floor, target));
            KpiResult {
                kpi: item.kpi,
                value,
                floor,
                target,
                rule: item.describe(),
                linear: Some(item.linear_rule()),
                score,
                weight: item.weight,
                effective_weight: None,
            }
        })
        .collect();

    let weight_with_data: Decimal = kpis
        .iter()
        .filter(|k| k.score.is_some())
        .map(|k| k.weight)
        .sum();
    let mut notes = Vec::new();
    let total = if weight_with_data.is_zero() {
        notes.push("no KPI has data: no total score".to_string());
        None
    } else {
        let mut weighted = Decimal::ZERO;
        for k in kpis.iter_mut() {
            if let Some(s) = k.score {
                k.effective_weight = Some(round_half_up(
                    k.weight * Decimal::ONE_HUNDRED / weight_with_data,
                    2,
                ));
                weighted += s * k.weight;
            } else {
                notes.push(format!(
                    "{}: no data; its weight of {} % is spread over the other KPIs",
                    k.kpi.as_str(),
                    k.weight
                ));
            }
        }
        Some(round_half_up(weighted / weight_with_data, 2))
    };

    Scorecard {
        employee_id: input.employee_id,
        employee_no: input.employee_no.to_string(),
        name: input.name.to_string(),
        team_id: input.team_id,
        days: input.days,
        handled: p.handled(),
        points,
        points_lines,
        kpis,
        grade: total.map(|t| rules.scheme.grade(t)),
        total,
        rank_in_team: None,
        unit_price: rules.unit_price,
        variable_pay: rules.rounding.apply(points * rules.unit_price),
        rounding: rules.rounding.describe(),
        rounding_dp: Some(rules.rounding.dp),
        notes,
        measures: KpiCode::ALL
            .into_iter()
            .map(|kpi| Measure {
                kpi,
                value: p.evaluate(kpi, rules.coefficients),
            })
            .collect(),
    }
}

/// A content hash of a set of scorecards, independent of their order.
pub fn snapshot_hash(cards: &[Scorecard]) -> String {
    let mut sorted: Vec<&Scorecard> = cards.iter().collect();
    sorted.sort_by(|a, b| (a.team_id, &a.employee_no).cmp(&(b.team_id, &b.employee_no)));
    let mut h = Sha256::new();
    for c in sorted {
        // Normalised decimals so that 1.50 and 1.5 hash alike whatever a backend returned.
        let json = serde_json::to_string(&normalised(c)).expect("scorecards serialise");
        h.update(json.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

fn normalised(c: &Scorecard) -> Scorecard {
    let n = |d: Decimal| d.normalize();
    let mut c = c.clone();
    c.points = n(c.points);
    c.unit_price = n(c.unit_price);
    c.variable_pay = n(c.variable_pay);
    c.total = c.total.map(n);
    for l in &mut c.points_lines {
        l.coefficient = n(l.coefficient);
        l.points = n(l.points);
    }
    for m in &mut c.measures {
        m.value.value = m.value.value.map(n);
        m.value.numerator = n(m.value.numerator);
        m.value.denominator = n(m.value.denominator);
    }
    for k in &mut c.kpis {
        k.value.value = k.value.value.map(n);
        k.value.numerator = n(k.value.numerator);
        k.value.denominator = n(k.value.denominator);
        k.floor = n(k.floor);
        k.target = n(k.target);
        k.score = k.score.map(n);
        k.weight = n(k.weight);
        k.effective_weight = k.effective_weight.map(n);
        if let Some(rule) = &mut k.linear {
            rule.floor = n(rule.floor);
            rule.target = n(rule.target);
        }
    }
    c
}

#[cfg(test)]
mod tests;

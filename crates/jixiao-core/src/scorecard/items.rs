//! Scoring one scheme item: its value (a `KpiCode` from the partial, or a library KPI from the
//! segment's measures), then the linear rule of floor and target or the item's own rule.

use rust_decimal::Decimal;

use super::library::{LibraryValue, unit_symbol};
use super::{KpiResult, Rules, SegmentInput};
use crate::kpi::KpiValue;
use crate::money::round_half_up;
use crate::scheme::SchemeItem;
use crate::scoring::{LinearScoring, ScoringRule};

/// The KPI result of `item` on the segment; `library` holds the segment's library values.
pub(super) fn score_item(
    item: &SchemeItem,
    input: &SegmentInput<'_>,
    rules: &Rules<'_>,
    library: &[LibraryValue],
) -> KpiResult {
    let (value, unit) = match &item.library_kpi {
        Some(code) => match library.iter().find(|v| v.kpi == *code) {
            Some(v) => (v.kpi_value(), unit_symbol(v.unit)),
            // A scheme naming no library KPI fails validation; a stored one reads as no data.
            None => (no_data(), ""),
        },
        None => (
            input.partial.evaluate(item.kpi, rules.coefficients),
            item.kpi.unit(),
        ),
    };
    let mut result = KpiResult {
        kpi: item.kpi,
        value,
        floor: item.floor,
        target: item.target,
        rule: String::new(),
        linear: None,
        score: None,
        weight: item.weight,
        effective_weight: None,
        library_kpi: item.library_kpi.clone(),
        scoring: None,
        deducted: None,
    };
    match &item.scoring {
        None => {
            let (floor, target) = item.bounds(input.days, input.period_days);
            result.score = result
                .value
                .value
                .map(|v| SchemeItem::score(v, floor, target));
            (result.floor, result.target) = (floor, target);
            // The same words either way; a library KPI's unit is not `kpi`'s.
            result.rule = match item.library_kpi {
                Some(_) => ScoringRule::from(item.linear_rule()).describe(unit),
                None => item.describe(),
            };
            result.linear = Some(item.linear_rule());
        }
        Some(rule) => {
            let applied = prorated(rule, input.days, input.period_days);
            if let ScoringRule::Linear(l) = &applied {
                (result.floor, result.target) = (l.floor, l.target);
            }
            match (&applied, item.deducts_from_total()) {
                // Weighs nothing: its points come off the total (`scorecard::finish`).
                (ScoringRule::DeductionPerEvent(d), true) => {
                    result.deducted = result.value.value.map(|v| d.deduction(v));
                }
                _ => result.score = result.value.value.and_then(|v| applied.score(v)),
            }
            result.rule = rule.describe(unit);
            result.scoring = Some(rule.clone());
        }
    }
    result
}

fn no_data() -> KpiValue {
    KpiValue {
        value: None,
        numerator: Decimal::ZERO,
        denominator: Decimal::ZERO,
    }
}

/// A linear rule marked `prorate` with floor and target shrunk to the days in the team and
/// rounded to 2 decimals, as `SchemeItem::bounds` does; any other rule as it is.
fn prorated(rule: &ScoringRule, days: u32, period_days: u32) -> ScoringRule {
    match rule {
        ScoringRule::Linear(l) if l.prorate && period_days > 0 && days < period_days => {
            let f = Decimal::from(days) / Decimal::from(period_days);
            ScoringRule::Linear(LinearScoring {
                floor: round_half_up(l.floor * f, 2),
                target: round_half_up(l.target * f, 2),
                ..*l
            })
        }
        other => other.clone(),
    }
}

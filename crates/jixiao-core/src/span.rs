//! Quarters and years as aggregations of months (docs/KPIS.md, "Quarters and years").
//!
//! A span's per-agent values come from the **summed** month measures: every library KPI is
//! Σ numerators ÷ Σ denominators over the agent's cards of the included months (never a mean
//! of monthly ratios), points, handled and pay are sums. Its score is the mean of the monthly
//! totals weighted by the days each card covers: each month was scored, reviewed, appealed
//! and closed under its own scheme and prorated targets, so a quarter does not re-score it
//! under another month's rules; a month an agent spent 10 days in counts a third of a full one.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::round_half_up;
use crate::scorecard::{LibraryValue, Scorecard};
use crate::{CoreError, Period};

/// A quarter or a year, of a fiscal year starting in `start_month` (1 = calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    /// `2026-Q3`: the third quarter of fiscal year 2026.
    Quarter {
        /// The fiscal year (the calendar year it starts in).
        year: i32,
        /// 1–4.
        quarter: u32,
    },
    /// `2026`: fiscal year 2026.
    Year(i32),
}

impl Span {
    /// The months of the span, in order, for a fiscal year starting in `start_month` (1–12).
    pub fn months(self, start_month: u32) -> Result<Vec<Period>, CoreError> {
        let (year, first, n) = match self {
            Span::Quarter { year, quarter } => (year, (quarter - 1) * 3, 3),
            Span::Year(year) => (year, 0, 12),
        };
        if !(1..=12).contains(&start_month) {
            return Err(CoreError::invalid(
                "fiscal year start",
                &start_month.to_string(),
                "a month 1-12",
            ));
        }
        let mut p = Period::new(year, start_month)?;
        for _ in 0..first {
            p = p.next();
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(p);
            p = p.next();
        }
        Ok(out)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Span::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            Span::Year(year) => write!(f, "{year:04}"),
        }
    }
}

impl FromStr for Span {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, CoreError> {
        let bad = || CoreError::invalid("span", s, "expected YYYY-Qn (2026-Q3) or YYYY (2026)");
        let s = s.trim();
        let year_of = |y: &str| -> Result<i32, CoreError> {
            let year: i32 = y.parse().map_err(|_| bad())?;
            if y.len() != 4 || !(1970..=9999).contains(&year) {
                return Err(bad());
            }
            Ok(year)
        };
        match s.split_once("-Q") {
            Some((y, q)) => {
                let quarter: u32 = q.parse().map_err(|_| bad())?;
                if !(1..=4).contains(&quarter) || q.len() != 1 {
                    return Err(bad());
                }
                Ok(Span::Quarter {
                    year: year_of(y)?,
                    quarter,
                })
            }
            None => Ok(Span::Year(year_of(s)?)),
        }
    }
}

/// One agent over a span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentSpan {
    /// The employee.
    pub employee_id: i64,
    /// Their employee number.
    pub employee_no: String,
    /// Their name.
    pub name: String,
    /// The months with a card of theirs, in order.
    pub months: Vec<Period>,
    /// Σ days covered by their cards.
    pub days: u32,
    /// Σ handled.
    pub handled: u64,
    /// Σ points.
    pub points: Decimal,
    /// Σ variable pay.
    pub variable_pay: Decimal,
    /// Every standard library KPI from the summed numerators and denominators.
    pub library: Vec<LibraryValue>,
    /// (month, total, days) of each card, what the score is weighted from.
    pub month_totals: Vec<(Period, Option<Decimal>, u32)>,
    /// Σ total × days ÷ Σ days over cards with a total, two decimals; `None` without any.
    pub score: Option<Decimal>,
}

/// The multiplier `k` of a ratio formula `N / D * k` (1 without one).
fn scale_of(formula: &str) -> Decimal {
    formula
        .rsplit_once('*')
        .and_then(|(_, k)| k.trim().parse::<Decimal>().ok())
        .unwrap_or(Decimal::ONE)
}

fn summed(
    code: &str,
    numerator: Decimal,
    denominator: Decimal,
    unit: crate::kpi::Unit,
) -> LibraryValue {
    let formula = crate::kpi::standard_kpi(code).map_or("", |k| k.formula);
    let ratio = crate::scorecard::library_split_ratio(formula).is_some();
    let value = if !ratio {
        Some(round_half_up(numerator, 2))
    } else if denominator.is_zero() {
        None
    } else {
        numerator
            .checked_div(denominator)
            .and_then(|v| v.checked_mul(scale_of(formula)))
            .map(|v| round_half_up(v, 2))
    };
    LibraryValue {
        kpi: code.to_string(),
        numerator,
        denominator: if ratio { denominator } else { Decimal::ONE },
        value,
        unit,
        version: None,
    }
}

/// Σ numerator, Σ denominator and unit per library KPI code.
type Sums = BTreeMap<String, (Decimal, Decimal, crate::kpi::Unit)>;

/// Aggregates the cards of the included months per employee (a mover's segments merged),
/// ordered by employee number. Custom KPIs (cards' library values with a version) are left
/// out: their formulas need not be ratios of sums.
pub fn aggregate(months: &[(Period, Vec<Scorecard>)]) -> Vec<AgentSpan> {
    let mut by: BTreeMap<(String, i64), AgentSpan> = BTreeMap::new();
    let mut sums: BTreeMap<(String, i64), Sums> = BTreeMap::new();
    for (period, cards) in months {
        for c in cards {
            let key = (c.employee_no.clone(), c.employee_id);
            let a = by.entry(key.clone()).or_insert_with(|| AgentSpan {
                employee_id: c.employee_id,
                employee_no: c.employee_no.clone(),
                name: c.name.clone(),
                months: Vec::new(),
                days: 0,
                handled: 0,
                points: Decimal::ZERO,
                variable_pay: Decimal::ZERO,
                library: Vec::new(),
                month_totals: Vec::new(),
                score: None,
            });
            if a.months.last() != Some(period) {
                a.months.push(*period);
            }
            a.days += c.days;
            a.handled += c.handled;
            a.points += c.points;
            a.variable_pay += c.variable_pay;
            a.month_totals.push((*period, c.total, c.days));
            let s = sums.entry(key).or_default();
            for v in c.library.iter().filter(|v| v.version.is_none()) {
                let e = s
                    .entry(v.kpi.clone())
                    .or_insert((Decimal::ZERO, Decimal::ZERO, v.unit));
                e.0 += v.numerator;
                e.1 += v.denominator;
            }
        }
    }
    by.into_iter()
        .map(|(key, mut a)| {
            let lib = sums.remove(&key).unwrap_or_default();
            // In library order, as on a card.
            a.library = crate::kpi::STANDARD_KPIS
                .iter()
                .filter_map(|k| {
                    let (n, d, unit) = lib.get(k.code)?;
                    Some(summed(k.code, *n, *d, *unit))
                })
                .collect();
            let (weighted, days) = a
                .month_totals
                .iter()
                .filter_map(|(_, t, d)| Some((t.as_ref()? * Decimal::from(*d), *d)))
                .fold((Decimal::ZERO, 0_u32), |(w, n), (x, d)| (w + x, n + d));
            a.score = (days > 0).then(|| round_half_up(weighted / Decimal::from(days), 2));
            a
        })
        .collect()
}

#[cfg(test)]
mod tests;

//! The KPI library of this slice and the tallies they are computed from.
//!
//! KPIs are never averaged: every value is evaluated from summed numerators and denominators
//! held in a [`Partial`], so a team's AHT is its total handle time over its total handled, and
//! merging partials then evaluating equals evaluating the union of their records.
//!
//! Beyond the five [`KpiCode`]s scored today, [`library`] defines the standard KPIs as
//! [`Formula`]s over the base [`measures`], evaluated on summed [`MeasureTotals`].

pub mod formula;
pub mod library;
pub mod measures;
mod partial;
mod totals;
pub mod units;

pub use formula::{DivZero, Formula, FormulaError, FormulaSpec};
pub use library::{KpiClass, KpiDefinition, STANDARD_KPIS, StandardKpi, kpi_value, standard_kpi};
pub use measures::{MeasureCatalog, MeasureDef};
pub use partial::{Partial, TypeTally};
pub use totals::MeasureTotals;
pub use units::{Dimension, Unit};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;

/// A standard KPI. Definitions are written out in docs/KPIS.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiCode {
    /// Handled interactions: answered or transferred calls with this agent.
    Handled,
    /// Workload points: Σ coefficient of the business type over handled calls.
    Points,
    /// Average handle time: (talk + hold + after-call work) / handled, in seconds.
    Aht,
    /// Customer satisfaction, top-2-box: answers scoring 4–5 / all answers × 100.
    Csat,
    /// QA score: mean review score, a critical failure counted as 0.
    Qa,
}

/// Whether a higher or a lower value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better (points, CSAT, QA).
    HigherIsBetter,
    /// Less is better (AHT).
    LowerIsBetter,
}

impl KpiCode {
    /// Every KPI of the library.
    pub const ALL: [KpiCode; 5] = [
        KpiCode::Handled,
        KpiCode::Points,
        KpiCode::Aht,
        KpiCode::Csat,
        KpiCode::Qa,
    ];

    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            KpiCode::Handled => "handled",
            KpiCode::Points => "points",
            KpiCode::Aht => "aht",
            KpiCode::Csat => "csat",
            KpiCode::Qa => "qa",
        }
    }

    /// Parses the stable code.
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        KpiCode::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                CoreError::invalid("KPI", s, "expected handled, points, aht, csat or qa")
            })
    }

    /// Which way is better.
    pub fn direction(self) -> Direction {
        match self {
            KpiCode::Aht => Direction::LowerIsBetter,
            _ => Direction::HigherIsBetter,
        }
    }

    /// The unit the value is expressed in.
    pub fn unit(self) -> &'static str {
        match self {
            KpiCode::Handled => "calls",
            KpiCode::Points => "points",
            KpiCode::Aht => "s",
            KpiCode::Csat => "%",
            KpiCode::Qa => "pts",
        }
    }

    /// What the ratio of numerator to denominator is multiplied by (CSAT is a percentage).
    pub fn scale(self) -> Decimal {
        match self {
            KpiCode::Csat => Decimal::ONE_HUNDRED,
            _ => Decimal::ONE,
        }
    }

    /// The definition, as printed next to every value.
    pub fn formula(self) -> &'static str {
        match self {
            KpiCode::Handled => "count of answered or transferred calls",
            KpiCode::Points => "Σ handled × coefficient of the business type",
            KpiCode::Aht => "(talk + hold + after-call work) ÷ handled",
            KpiCode::Csat => "answers scoring 4–5 ÷ all answers × 100 (1–5 scale, top-2-box)",
            KpiCode::Qa => "Σ review scores (critical failure = 0) ÷ reviews",
        }
    }
}

/// A KPI evaluated from a partial: the value and exactly what it was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiValue {
    /// The value rounded to two decimals; `None` means "no data", which is not 0.
    pub value: Option<Decimal>,
    /// The numerator of the definition.
    pub numerator: Decimal,
    /// The denominator of the definition (1 for plain counts and sums).
    pub denominator: Decimal,
}

/// Decimal places KPI values are rounded to before they are scored and shown.
pub const VALUE_DP: u32 = 2;

impl KpiValue {
    /// A ratio KPI (AHT, CSAT, QA) from its summed numerator and denominator: the single rule
    /// for individual cards and for every roll-up of them. No denominator means "no data".
    pub fn ratio(kpi: KpiCode, numerator: Decimal, denominator: Decimal) -> KpiValue {
        let value = (!denominator.is_zero())
            .then(|| crate::money::round_half_up(numerator * kpi.scale() / denominator, VALUE_DP));
        KpiValue {
            value,
            numerator,
            denominator,
        }
    }
}

//! KPI formulas over base measures, such as `answered_within_threshold / offered * 100`:
//! our own small language over exact decimals, so that no user text ever runs as code.
//!
//! Numbers, measure names, `+ - * /`, unary minus, parentheses and four functions:
//! `min(a, b)`, `max(a, b)`, `round(x, places)` (half away from zero) and `if_zero(x, y)`
//! (`y` when `x` is zero or has no data). A formula is checked when it is saved (syntax with
//! the character position, unknown measures with a suggestion, units) and evaluated on
//! [`MeasureTotals`], that is on sums: a team's value is the formula over the team's summed
//! measures, never an average of its agents' values.

mod check;
mod error;
mod eval;
mod parser;

pub use check::MAX_ROUND_DP;
pub use error::FormulaError;

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::measures::MeasureCatalog;
use super::totals::MeasureTotals;
use super::units::{Dimension, Unit};

/// What a division by zero gives, chosen per formula.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DivZero {
    /// The whole formula has no data (the usual choice for ratios: no calls, no AHT).
    #[default]
    NoData,
    /// The division gives 0.
    Zero,
    /// Evaluation fails with `formula_division_by_zero`.
    Error,
}

/// A formula as stored: its text and its division-by-zero policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FormulaSpec {
    /// The formula text.
    pub text: String,
    /// What a division by zero gives.
    #[serde(default)]
    pub div_zero: DivZero,
}

impl FormulaSpec {
    /// Parses and checks the stored formula against `catalog`.
    pub fn compile(&self, catalog: &MeasureCatalog) -> Result<Formula, FormulaError> {
        Ok(Formula::parse(&self.text, catalog)?.with_div_zero(self.div_zero))
    }
}

/// A parsed, checked formula, ready to evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formula {
    text: String,
    root: parser::Node,
    dimension: Dimension,
    measures: BTreeSet<String>,
    div_zero: DivZero,
}

impl Formula {
    /// The longest formula text accepted, in characters.
    pub const MAX_CHARS: usize = 1000;
    /// The deepest nesting accepted: each operator, minus sign and function call is a level.
    pub const MAX_DEPTH: usize = 64;

    /// Parses `text` and checks it against `catalog`; the policy starts as [`DivZero::NoData`].
    pub fn parse(text: &str, catalog: &MeasureCatalog) -> Result<Formula, FormulaError> {
        let chars = text.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(FormulaError::TooLong {
                chars,
                max: Self::MAX_CHARS,
            });
        }
        let root = parser::parse(text, Self::MAX_DEPTH)?;
        if parser::depth(&root) > Self::MAX_DEPTH {
            return Err(FormulaError::TooDeep {
                max: Self::MAX_DEPTH,
            });
        }
        let (dimension, measures) = check::check(&root, catalog)?;
        Ok(Formula {
            text: text.to_string(),
            root,
            dimension,
            measures,
            div_zero: DivZero::default(),
        })
    }

    /// The same formula with another division-by-zero policy.
    pub fn with_div_zero(mut self, policy: DivZero) -> Formula {
        self.div_zero = policy;
        self
    }

    /// The formula as stored.
    pub fn spec(&self) -> FormulaSpec {
        FormulaSpec {
            text: self.text.clone(),
            div_zero: self.div_zero,
        }
    }

    /// The text as given (error columns count from its first character).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The division-by-zero policy.
    pub fn div_zero(&self) -> DivZero {
        self.div_zero
    }

    /// The unit of the result, as a dimension.
    pub fn dimension(&self) -> Dimension {
        self.dimension
    }

    /// The measures the formula reads, by name: the inputs an explanation lists.
    pub fn measures(&self) -> impl Iterator<Item = &str> {
        self.measures.iter().map(String::as_str)
    }

    /// Checks the result can be shown in `unit` (a percentage or a count must be a number,
    /// an average handle time seconds).
    pub fn check_unit(&self, unit: Unit) -> Result<(), FormulaError> {
        if self.dimension.fits(unit) {
            Ok(())
        } else {
            Err(FormulaError::WrongUnit {
                expected: unit.as_str(),
                found: self.dimension.to_string(),
            })
        }
    }

    /// Evaluates on summed measures; `Ok(None)` is "no data". Never panics.
    pub fn evaluate(&self, totals: &MeasureTotals) -> Result<Option<Decimal>, FormulaError> {
        eval::eval(&self.root, totals, self.div_zero)
    }
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

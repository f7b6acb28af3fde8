//! [`MeasureTotals`]: base measures summed over some records, the input of every formula.
//!
//! Like [`super::Partial`], totals follow an aggregation contract: merging the totals of any
//! split of a record set gives the totals of the whole set, so a formula evaluated on merged
//! totals (a team, a quarter) is computed from sums and never averages ratios.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Partial;
use super::formula::FormulaError;
use crate::org::TypeCode;

/// Summed base measures by name; a measure never added is 0 (nothing was counted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MeasureTotals(BTreeMap<String, Decimal>);

impl MeasureTotals {
    /// No records: every measure 0.
    pub fn new() -> MeasureTotals {
        MeasureTotals::default()
    }

    /// The total of `name`; 0 when nothing was added.
    pub fn get(&self, name: &str) -> Decimal {
        self.0.get(name).copied().unwrap_or_default()
    }

    /// Adds `v` to `name`, refusing a sum too large to keep exactly.
    pub fn add(&mut self, name: &str, v: Decimal) -> Result<(), FormulaError> {
        let slot = self.0.entry(name.to_string()).or_default();
        *slot = slot
            .checked_add(v)
            .ok_or(FormulaError::Overflow { column: 0 })?;
        Ok(())
    }

    /// Totals of the given (name, value) pairs, summing repeated names.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, Decimal)>,
    ) -> Result<MeasureTotals, FormulaError> {
        let mut t = MeasureTotals::new();
        pairs.into_iter().try_for_each(|(k, v)| t.add(k, v))?;
        Ok(t)
    }

    /// Adds every total of `other` (the merge of the aggregation contract).
    pub fn merge(&mut self, other: &MeasureTotals) -> Result<(), FormulaError> {
        other.0.iter().try_for_each(|(k, v)| self.add(k, *v))
    }

    /// The non-zero totals, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Decimal)> {
        self.0
            .iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|(k, v)| (k.as_str(), *v))
    }

    /// The measures a [`Partial`] holds, with workload points under `coefficients`.
    pub fn from_partial(
        p: &Partial,
        coefficients: &BTreeMap<TypeCode, Decimal>,
    ) -> Result<MeasureTotals, FormulaError> {
        let mut t = MeasureTotals::new();
        for tally in p.by_type.values() {
            t.add("handled", tally.handled.into())?;
            t.add("talk_secs", tally.talk_secs.into())?;
            t.add("hold_secs", tally.hold_secs.into())?;
            t.add("acw_secs", tally.acw_secs.into())?;
            t.add("handle_secs", tally.handle_secs().into())?;
        }
        t.add("surveys", p.survey_answers.into())?;
        t.add("surveys_top2", p.survey_top2.into())?;
        t.add("qa_reviews", p.qa_reviews.into())?;
        t.add("qa_score_sum", p.qa_score_sum)?;
        t.add("qa_critical_failures", p.qa_critical.into())?;
        t.add("points", p.points(coefficients))?;
        Ok(t)
    }
}

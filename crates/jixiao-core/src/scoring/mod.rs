//! Scoring rules: how a KPI value becomes a 0–100 score.
//!
//! [`ScoringRule`] is stored as JSON tagged by `kind`. A rule stored before the tag existed is
//! the bare linear rule `{"floor", "target", "prorate"}` ([`LinearRule`], as kept on today's
//! scorecards) and still reads back, as [`ScoringRule::Linear`] capped at both ends.

mod percentile;
mod rules;

pub use percentile::{PeerGroup, apply_percentile, percentile_scores};
pub use rules::{DeductionRule, LinearScoring, PassFailRule, PercentileRule, StepBand, StepsRule};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::kpi::Direction;
use crate::scheme::{LinearRule, SchemeItem};

/// A KPI's scoring rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "wire::AnyRule")]
pub enum ScoringRule {
    /// Linear from a floor (0) to a target (100).
    Linear(LinearScoring),
    /// Step bands: the first band the value reaches gives its score.
    Steps(StepsRule),
    /// 100 when the threshold is met, else 0.
    PassFail(PassFailRule),
    /// 100 minus a deduction per event (−2 per upheld complaint), down to a cap.
    DeductionPerEvent(DeductionRule),
    /// Percentile rank among peers; scored by a post-pass over all cards.
    Percentile(PercentileRule),
}

impl ScoringRule {
    /// Which way is better under this rule.
    pub fn direction(&self) -> Direction {
        match self {
            ScoringRule::Linear(r) => r.direction(),
            ScoringRule::Steps(r) => r.direction,
            ScoringRule::PassFail(r) => r.direction,
            ScoringRule::DeductionPerEvent(_) => Direction::LowerIsBetter,
            ScoringRule::Percentile(r) => r.direction,
        }
    }

    /// The score of `value`, two decimals; `None` for a percentile rule, which needs the
    /// peers' values (see [`percentile_scores`]).
    pub fn score(&self, value: Decimal) -> Option<Decimal> {
        match self {
            ScoringRule::Linear(r) => Some(r.score(value)),
            ScoringRule::Steps(r) => Some(r.score(value)),
            ScoringRule::PassFail(r) => Some(r.score(value)),
            ScoringRule::DeductionPerEvent(r) => Some(r.score(value)),
            ScoringRule::Percentile(_) => None,
        }
    }

    /// Checks the rule is consistent and points the KPI's way.
    pub fn validate(&self, kpi_direction: Direction) -> Result<(), CoreError> {
        match self {
            ScoringRule::Linear(r) => r.validate()?,
            ScoringRule::Steps(r) => r.validate()?,
            ScoringRule::DeductionPerEvent(r) => r.validate()?,
            ScoringRule::PassFail(_) | ScoringRule::Percentile(_) => {}
        }
        if self.direction() != kpi_direction {
            return Err(CoreError::rule(
                "scoring rule",
                format!(
                    "the rule treats {} as better, the KPI the opposite",
                    match self.direction() {
                        Direction::HigherIsBetter => "higher values",
                        Direction::LowerIsBetter => "lower values",
                    }
                ),
            ));
        }
        Ok(())
    }

    /// The rule in English words, for exports and explanations.
    pub fn describe(&self, unit: &str) -> String {
        match self {
            ScoringRule::Linear(r) => r.describe(unit),
            ScoringRule::Steps(r) => r.describe(unit),
            ScoringRule::PassFail(r) => r.describe(unit),
            ScoringRule::DeductionPerEvent(r) => r.describe(),
            ScoringRule::Percentile(r) => r.describe(),
        }
    }
}

impl From<LinearRule> for ScoringRule {
    /// Today's rules are linear and capped at both ends.
    fn from(r: LinearRule) -> Self {
        ScoringRule::Linear(LinearScoring {
            floor: r.floor,
            target: r.target,
            capped: true,
            prorate: r.prorate,
        })
    }
}

impl SchemeItem {
    /// This item's rule as a [`ScoringRule`] (scheme items are linear today).
    pub fn scoring_rule(&self) -> ScoringRule {
        self.linear_rule().into()
    }
}

/// Reading: the tagged form first, then the untagged linear rule stored before tags existed.
mod wire {
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    pub(super) enum Tagged {
        Linear(LinearScoring),
        Steps(StepsRule),
        PassFail(PassFailRule),
        DeductionPerEvent(DeductionRule),
        Percentile(PercentileRule),
    }

    /// A rule stored before rules were tagged: the linear rule's fields alone.
    #[derive(Deserialize)]
    pub(super) struct Legacy {
        floor: Decimal,
        target: Decimal,
        prorate: bool,
        kind: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub(super) enum AnyRule {
        Tagged(Tagged),
        Legacy(Legacy),
    }

    impl TryFrom<AnyRule> for ScoringRule {
        type Error = String;

        fn try_from(r: AnyRule) -> Result<Self, String> {
            Ok(match r {
                AnyRule::Legacy(Legacy {
                    kind: Some(kind), ..
                }) => return Err(format!("unknown scoring rule kind {kind:?}")),
                AnyRule::Legacy(l) => LinearRule {
                    floor: l.floor,
                    target: l.target,
                    prorate: l.prorate,
                }
                .into(),
                AnyRule::Tagged(Tagged::Linear(r)) => ScoringRule::Linear(r),
                AnyRule::Tagged(Tagged::Steps(r)) => ScoringRule::Steps(r),
                AnyRule::Tagged(Tagged::PassFail(r)) => ScoringRule::PassFail(r),
                AnyRule::Tagged(Tagged::DeductionPerEvent(r)) => ScoringRule::DeductionPerEvent(r),
                AnyRule::Tagged(Tagged::Percentile(r)) => ScoringRule::Percentile(r),
            })
        }
    }
}

#[cfg(test)]
mod tests;

//! The rules themselves. Every score is 0–100 with two decimals (an uncapped linear rule may
//! go above 100); arithmetic is checked, and a value too large to compute scores as if it
//! were at the nearer end of the scale.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::percentile::PeerGroup;
use crate::CoreError;
use crate::kpi::Direction;
use crate::money::round_half_up;

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

fn yes() -> bool {
    true
}

fn better_or_equal(direction: Direction, value: Decimal, edge: Decimal) -> bool {
    match direction {
        Direction::HigherIsBetter => value >= edge,
        Direction::LowerIsBetter => value <= edge,
    }
}

fn sign(direction: Direction) -> &'static str {
    match direction {
        Direction::HigherIsBetter => "≥",
        Direction::LowerIsBetter => "≤",
    }
}

/// Linear from `floor` (scores 0) to `target` (scores 100); lower-is-better when the target
/// is below the floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinearScoring {
    /// The value scoring 0, and anything worse.
    pub floor: Decimal,
    /// The value scoring 100.
    pub target: Decimal,
    /// Whether better than the target still scores 100 (true) or keeps rising (false).
    #[serde(default = "yes")]
    pub capped: bool,
    /// Whether floor and target are per whole month and shrink with the days in the team.
    #[serde(default)]
    pub prorate: bool,
}

impl LinearScoring {
    /// Higher is better unless the target is below the floor.
    pub fn direction(&self) -> Direction {
        if self.target >= self.floor {
            Direction::HigherIsBetter
        } else {
            Direction::LowerIsBetter
        }
    }

    /// The score of `value`.
    pub fn score(&self, value: Decimal) -> Decimal {
        let frac = value
            .checked_sub(self.floor)
            .zip(self.target.checked_sub(self.floor))
            .and_then(|(done, span)| done.checked_div(span))
            .unwrap_or_else(|| {
                // A zero span, or values beyond exact arithmetic: all or nothing.
                if better_or_equal(self.direction(), value, self.target) {
                    Decimal::ONE
                } else {
                    Decimal::ZERO
                }
            })
            .max(Decimal::ZERO);
        let frac = if self.capped {
            frac.min(Decimal::ONE)
        } else {
            frac
        };
        frac.checked_mul(HUNDRED)
            .map_or(HUNDRED, |s| round_half_up(s, 2))
    }

    /// Floor and target must differ.
    pub fn validate(&self) -> Result<(), CoreError> {
        if self.floor == self.target {
            return Err(CoreError::rule(
                "linear rule",
                "floor and target must differ",
            ));
        }
        Ok(())
    }

    /// The rule in words; a capped rule is worded as [`crate::scheme::LinearRule`] words it.
    pub fn describe(&self, unit: &str) -> String {
        format!(
            "linear: {} {unit} scores 0, {} {unit} scores 100{}{}",
            self.floor,
            self.target,
            if self.capped { "" } else { ", uncapped above" },
            if self.prorate {
                "; prorated by days in team"
            } else {
                ""
            }
        )
    }
}

/// One band: values at `edge` or better score `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepBand {
    /// The band's edge, which belongs to the band.
    pub edge: Decimal,
    /// The score of values in the band.
    pub score: Decimal,
}

/// Step bands listed best first; a value worse than every band scores 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepsRule {
    /// Which way is better.
    pub direction: Direction,
    /// Bands, best first.
    pub bands: Vec<StepBand>,
}

impl StepsRule {
    /// The score of the first band `value` reaches.
    pub fn score(&self, value: Decimal) -> Decimal {
        self.bands
            .iter()
            .find(|b| better_or_equal(self.direction, value, b.edge))
            .map_or(Decimal::ZERO, |b| b.score)
    }

    /// Bands exist, edges run strictly from best to worst, scores are 0–100 and never rise.
    pub fn validate(&self) -> Result<(), CoreError> {
        let err = |r: &str| Err(CoreError::rule("step bands", r));
        if self.bands.is_empty() {
            return err("at least one band is needed");
        }
        if self
            .bands
            .iter()
            .any(|b| b.score < Decimal::ZERO || b.score > HUNDRED)
        {
            return err("band scores must be 0 to 100");
        }
        for w in self.bands.windows(2) {
            if better_or_equal(self.direction, w[1].edge, w[0].edge) {
                return err(
                    "edges must be listed best first, each strictly worse than the one before",
                );
            }
            if w[1].score > w[0].score {
                return err("a worse band cannot score more than a better one");
            }
        }
        Ok(())
    }

    /// The rule in words.
    pub fn describe(&self, unit: &str) -> String {
        let bands: Vec<String> = self
            .bands
            .iter()
            .map(|b| {
                format!(
                    "{} {} {unit} scores {}",
                    sign(self.direction),
                    b.edge,
                    b.score
                )
            })
            .collect();
        format!("steps: {}, otherwise 0", bands.join(", "))
    }
}

/// 100 when the value meets the threshold (the threshold itself passes), else 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassFailRule {
    /// Which way is better.
    pub direction: Direction,
    /// The value to reach.
    pub threshold: Decimal,
}

impl PassFailRule {
    /// 100 or 0.
    pub fn score(&self, value: Decimal) -> Decimal {
        if better_or_equal(self.direction, value, self.threshold) {
            HUNDRED
        } else {
            Decimal::ZERO
        }
    }

    /// The rule in words.
    pub fn describe(&self, unit: &str) -> String {
        format!(
            "pass/fail: {} {} {unit} scores 100, otherwise 0",
            sign(self.direction),
            self.threshold
        )
    }
}

/// Starts at 100 and deducts `points` per event (the value is the number of events), the
/// deduction being at most `cap` (no cap: down to 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeductionRule {
    /// Points deducted per event.
    pub points: Decimal,
    /// The most that can be deducted.
    #[serde(default)]
    pub cap: Option<Decimal>,
}

impl DeductionRule {
    /// 100 − min(points × events, cap), never below 0; negative counts count as 0.
    pub fn score(&self, events: Decimal) -> Decimal {
        let most = self.cap.unwrap_or(HUNDRED).min(HUNDRED);
        let deducted = self
            .points
            .checked_mul(events.max(Decimal::ZERO))
            .map_or(most, |d| d.min(most));
        round_half_up((HUNDRED - deducted).max(Decimal::ZERO), 2)
    }

    /// The points taken off the card's total by an item that deducts from the total (a
    /// weight-0 item, see `SchemeItem::deducts_from_total`): min(points × events, cap, 100),
    /// two decimals; negative counts count as 0.
    pub fn deduction(&self, events: Decimal) -> Decimal {
        let most = self.cap.unwrap_or(HUNDRED).min(HUNDRED);
        let deducted = self
            .points
            .checked_mul(events.max(Decimal::ZERO))
            .map_or(most, |d| d.min(most));
        round_half_up(deducted, 2)
    }

    /// Points above 0; a cap, if any, above 0 and at most 100.
    pub fn validate(&self) -> Result<(), CoreError> {
        if self.points <= Decimal::ZERO {
            return Err(CoreError::rule(
                "deduction rule",
                "points per event must be above 0",
            ));
        }
        if self.cap.is_some_and(|c| c <= Decimal::ZERO || c > HUNDRED) {
            return Err(CoreError::rule(
                "deduction rule",
                "the cap must be above 0 and at most 100",
            ));
        }
        Ok(())
    }

    /// The rule in words.
    pub fn describe(&self) -> String {
        match self.cap {
            Some(cap) => format!(
                "deduction: 100 − {} per event, at most {cap} deducted",
                self.points
            ),
            None => format!("deduction: 100 − {} per event, down to 0", self.points),
        }
    }
}

/// The percentile rank of the value among the peers of the same team or department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PercentileRule {
    /// Which way is better.
    pub direction: Direction,
    /// Who the peers are.
    pub within: PeerGroup,
}

impl PercentileRule {
    /// The rule in words.
    pub fn describe(&self) -> String {
        format!(
            "percentile rank within the {}, {} is better",
            self.within.as_str(),
            match self.direction {
                Direction::HigherIsBetter => "higher",
                Direction::LowerIsBetter => "lower",
            }
        )
    }
}

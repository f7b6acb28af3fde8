//! Calibration from measured time (写实测时): proposes each business type's point coefficient
//! from its measured mean handle time relative to a base type, and shows what the proposal
//! would do to every agent's points and pay before anyone applies it.
//!
//! `proposed(t) = round(mean(t) ÷ mean(base) × skill(t), dp)`, where `mean` is (talk + hold +
//! after-call work) ÷ handled over the chosen months. The ratio is taken from the summed
//! integers, `(secs(t) × handled(base)) ÷ (handled(t) × secs(base))`, so the only rounding is
//! the final one, half away from zero.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::kpi::{Partial, TypeTally};
use crate::money::{RoundingRule, round_half_up};
use crate::org::TypeCode;

/// Coefficients are stored scaled by 10⁴, so a proposal may keep at most 4 decimals.
pub const MAX_DP: u32 = 4;

/// What to calibrate against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalibrationOptions {
    /// The type whose coefficient is the unit (its ratio is 1).
    pub base: TypeCode,
    /// Skill factors per type; a type not listed has factor 1.
    pub skill: BTreeMap<TypeCode, Decimal>,
    /// Decimal places kept in a proposed coefficient.
    pub dp: u32,
}

/// One business type's line of a calibration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalibrationLine {
    /// The business type.
    pub code: TypeCode,
    /// Handled calls measured.
    pub handled: u64,
    /// Σ handle seconds measured (talk + hold + after-call work).
    pub handle_secs: u64,
    /// Mean handle seconds, to 2 decimals; `None` ("no data") when nothing was handled.
    pub mean_secs: Option<Decimal>,
    /// Mean ÷ the base's mean, to 4 decimals (display only; the proposal uses the exact ratio).
    pub ratio: Option<Decimal>,
    /// The skill factor applied.
    pub skill: Decimal,
    /// The proposed coefficient; `None` when nothing was handled.
    pub proposed: Option<Decimal>,
    /// The coefficient in force, when the type has one.
    pub current: Option<Decimal>,
    /// Proposed − current, when both exist.
    pub change: Option<Decimal>,
}

/// A proposal of coefficients, one line per measured or configured type, ordered by code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calibration {
    /// The base type.
    pub base: TypeCode,
    /// The base type's mean handle seconds, to 2 decimals.
    pub base_mean_secs: Decimal,
    /// One line per type.
    pub lines: Vec<CalibrationLine>,
}

impl Calibration {
    /// The proposed coefficients of the types that have one.
    pub fn proposed(&self) -> BTreeMap<TypeCode, Decimal> {
        self.lines
            .iter()
            .filter_map(|l| Some((l.code.clone(), l.proposed?)))
            .collect()
    }

    /// The coefficients if the proposal were applied: proposed where there is a proposal,
    /// otherwise the current coefficient (a type with no measured calls keeps its own).
    pub fn applied_to(&self, current: &BTreeMap<TypeCode, Decimal>) -> BTreeMap<TypeCode, Decimal> {
        let mut out = current.clone();
        out.extend(self.proposed());
        out
    }
}

/// Proposes coefficients from measured tallies; `current` gives the coefficients in force.
pub fn calibrate(
    measured: &BTreeMap<TypeCode, TypeTally>,
    current: &BTreeMap<TypeCode, Decimal>,
    opts: &CalibrationOptions,
) -> Result<Calibration, CoreError> {
    if opts.dp > MAX_DP {
        return Err(CoreError::invalid(
            "decimal places",
            &opts.dp.to_string(),
            format!("coefficients keep at most {MAX_DP} decimal places"),
        ));
    }
    let codes: BTreeSet<&TypeCode> = measured.keys().chain(current.keys()).collect();
    for (code, f) in &opts.skill {
        if !codes.contains(code) {
            return Err(CoreError::invalid(
                "skill factor",
                code.as_str(),
                "names a type that was neither measured nor has a coefficient",
            ));
        }
        if *f <= Decimal::ZERO {
            return Err(CoreError::invalid(
                "skill factor",
                &format!("{code}={f}"),
                "must be greater than 0",
            ));
        }
    }
    let base = measured.get(&opts.base).ok_or_else(|| {
        CoreError::invalid(
            "base type",
            opts.base.as_str(),
            "no calls of it were measured",
        )
    })?;
    if base.handled == 0 || base.handle_secs() == 0 {
        return Err(CoreError::invalid(
            "base type",
            opts.base.as_str(),
            "it has no measured handle time to compare with",
        ));
    }
    let lines = codes
        .into_iter()
        .map(|code| line(code, measured.get(code), base, current.get(code), opts))
        .collect();
    Ok(Calibration {
        base: opts.base.clone(),
        base_mean_secs: mean(base).unwrap_or_default(),
        lines,
    })
}

/// Rounds half away from zero and keeps exactly `dp` decimals.
fn fixed(v: Decimal, dp: u32) -> Decimal {
    let mut r = round_half_up(v, dp);
    r.rescale(dp);
    r
}

fn mean(t: &TypeTally) -> Option<Decimal> {
    (t.handled > 0).then(|| fixed(Decimal::from(t.handle_secs()) / Decimal::from(t.handled), 2))
}

fn line(
    code: &TypeCode,
    tally: Option<&TypeTally>,
    base: &TypeTally,
    current: Option<&Decimal>,
    opts: &CalibrationOptions,
) -> CalibrationLine {
    let tally = tally.cloned().unwrap_or_default();
    let skill = opts.skill.get(code).copied().unwrap_or(Decimal::ONE);
    // Exact up to Decimal's 28 digits: one division of integer products.
    let ratio = (tally.handled > 0).then(|| {
        Decimal::from(tally.handle_secs()) * Decimal::from(base.handled)
            / (Decimal::from(tally.handled) * Decimal::from(base.handle_secs()))
    });
    // Rescaled so that 1.3 at 2 decimals reads 1.30 wherever it is shown.
    let proposed = ratio.map(|r| fixed(r * skill, opts.dp));
    let current = current.copied();
    CalibrationLine {
        code: code.clone(),
        handled: tally.handled,
        handle_secs: tally.handle_secs(),
        mean_secs: mean(&tally),
        ratio: ratio.map(|r| fixed(r, 4)),
        skill,
        proposed,
        current,
        change: proposed.zip(current).map(|(p, c)| p - c),
    }
}

/// One agent's points and variable pay under the current and the proposed coefficients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentEffect<K> {
    /// The agent (employee id or number).
    pub agent: K,
    /// Points under the current coefficients.
    pub points_before: Decimal,
    /// Points under the proposed coefficients.
    pub points_after: Decimal,
    /// Variable pay under the current coefficients, rounded.
    pub pay_before: Decimal,
    /// Variable pay under the proposed coefficients, rounded.
    pub pay_after: Decimal,
}

impl<K> AgentEffect<K> {
    /// Pay after − pay before.
    pub fn pay_change(&self) -> Decimal {
        self.pay_after - self.pay_before
    }
}

/// The effect of a proposal on every agent, and the totals (sums of the agents' rounded pay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effect<K> {
    /// One line per agent, in key order.
    pub agents: Vec<AgentEffect<K>>,
    /// Σ points before.
    pub points_before: Decimal,
    /// Σ points after.
    pub points_after: Decimal,
    /// Σ variable pay before.
    pub pay_before: Decimal,
    /// Σ variable pay after.
    pub pay_after: Decimal,
}

/// Computes points and pay per agent before and after; pay = points × unit price, rounded per
/// agent, and totals add the rounded amounts, as the payslips would.
pub fn effect<K: Clone + Ord>(
    partials: &BTreeMap<K, Partial>,
    before: &BTreeMap<TypeCode, Decimal>,
    after: &BTreeMap<TypeCode, Decimal>,
    unit_price: Decimal,
    rounding: RoundingRule,
) -> Effect<K> {
    let agents: Vec<AgentEffect<K>> = partials
        .iter()
        .map(|(k, p)| {
            let (pb, pa) = (p.points(before), p.points(after));
            AgentEffect {
                agent: k.clone(),
                points_before: pb,
                points_after: pa,
                pay_before: rounding.apply(pb * unit_price),
                pay_after: rounding.apply(pa * unit_price),
            }
        })
        .collect();
    let sum = |f: fn(&AgentEffect<K>) -> Decimal| agents.iter().map(f).sum::<Decimal>();
    Effect {
        points_before: sum(|a| a.points_before),
        points_after: sum(|a| a.points_after),
        pay_before: sum(|a| a.pay_before),
        pay_after: sum(|a| a.pay_after),
        agents,
    }
}

#[cfg(test)]
mod tests;

//! Targets and their decomposition: a center's target for a period split to departments,
//! teams and agents, by explicit values, by headcount or by history (in proportion to a
//! previous period's value), with a check that the parts add back up to the whole.
//!
//! Proportional splits are exact: each part gets its quota rounded down to the rounding
//! rule's places, and the units left over go one each to the parts with the largest
//! remainders (the largest-remainder method; ties to the earlier part). The parts therefore
//! always add up to the whole exactly, and the same input always gives the same split. Only
//! additive targets (volumes, points, sales) are decomposed; a ratio target such as AHT is set
//! per unit instead.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::money::round_half_up;

/// The most decimal places a split may keep.
pub const MAX_DP: u32 = 10;

/// How a unit's target is split among its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitMethod {
    /// Each part's target is given; they must add up to the whole.
    Explicit,
    /// In proportion to the parts' headcounts.
    Headcount,
    /// In proportion to the parts' values in a previous period.
    History,
}

/// A unit (center, department, team, agent) and how its target goes to its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetNode {
    /// The unit's name, used in messages.
    pub unit: String,
    /// Agents in the unit; for a unit with parts, the parts' headcounts are used instead.
    #[serde(default)]
    pub headcount: u32,
    /// The unit's previous value; for a unit with parts, the parts' values are summed instead.
    #[serde(default)]
    pub history: Decimal,
    /// The unit's target when its parent splits explicitly.
    #[serde(default)]
    pub explicit: Option<Decimal>,
    /// How this unit's target is split among `parts`.
    pub split: SplitMethod,
    /// The parts.
    #[serde(default)]
    pub parts: Vec<TargetNode>,
}

impl TargetNode {
    /// The headcount, summed over the parts when there are parts.
    pub fn total_headcount(&self) -> u64 {
        if self.parts.is_empty() {
            self.headcount.into()
        } else {
            self.parts.iter().map(TargetNode::total_headcount).sum()
        }
    }

    /// The previous value, summed over the parts when there are parts.
    pub fn total_history(&self) -> Decimal {
        if self.parts.is_empty() {
            self.history
        } else {
            self.parts.iter().map(TargetNode::total_history).sum()
        }
    }
}

/// One unit's share of the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// The unit.
    pub unit: String,
    /// Its parent unit; `None` for the root.
    pub parent: Option<String>,
    /// 0 for the root, 1 for its parts, and so on.
    pub depth: u32,
    /// The unit's target.
    pub target: Decimal,
}

/// Splits `whole` over the tree under `root`, every share kept to `dp` places. Returns every
/// unit's allocation, the root first, each unit before its parts.
pub fn decompose(root: &TargetNode, whole: Decimal, dp: u32) -> Result<Vec<Allocation>, CoreError> {
    let mut out = vec![Allocation {
        unit: root.unit.clone(),
        parent: None,
        depth: 0,
        target: whole,
    }];
    descend(root, whole, dp, 0, &mut out)?;
    Ok(out)
}

fn descend(
    node: &TargetNode,
    whole: Decimal,
    dp: u32,
    depth: u32,
    out: &mut Vec<Allocation>,
) -> Result<(), CoreError> {
    if node.parts.is_empty() {
        return Ok(());
    }
    let shares = match node.split {
        SplitMethod::Explicit => {
            let given = node
                .parts
                .iter()
                .map(|p| {
                    p.explicit.ok_or_else(|| {
                        CoreError::invalid("target", &p.unit, "has no explicit target")
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            check_adds_up(&node.unit, whole, &given)?;
            given
        }
        SplitMethod::Headcount => {
            let w: Vec<Decimal> = node
                .parts
                .iter()
                .map(|p| p.total_headcount().into())
                .collect();
            split_proportionally(&node.unit, whole, &w, dp)?
        }
        SplitMethod::History => {
            let w: Vec<Decimal> = node.parts.iter().map(TargetNode::total_history).collect();
            split_proportionally(&node.unit, whole, &w, dp)?
        }
    };
    for (part, target) in node.parts.iter().zip(shares) {
        out.push(Allocation {
            unit: part.unit.clone(),
            parent: Some(node.unit.clone()),
            depth: depth + 1,
            target,
        });
        descend(part, target, dp, depth + 1, out)?;
    }
    Ok(())
}

/// Checks that the parts' targets add up to the unit's; the error names the unit and the
/// difference.
pub fn check_adds_up(unit: &str, whole: Decimal, parts: &[Decimal]) -> Result<(), CoreError> {
    let total = parts
        .iter()
        .try_fold(Decimal::ZERO, |s, p| s.checked_add(*p))
        .ok_or_else(|| CoreError::invalid("target", unit, "parts too large to add up"))?;
    if total == whole {
        return Ok(());
    }
    Err(CoreError::TargetsDoNotAddUp {
        unit: unit.to_string(),
        whole,
        total,
        difference: total - whole,
    })
}

/// Splits `whole` (≥ 0, at most `dp` places) in proportion to `weights` (≥ 0, not all 0) by
/// the largest-remainder method; the shares add up to `whole` exactly.
pub fn split_proportionally(
    unit: &str,
    whole: Decimal,
    weights: &[Decimal],
    dp: u32,
) -> Result<Vec<Decimal>, CoreError> {
    let bad = |reason: String| CoreError::invalid("target split", unit, reason);
    if dp > MAX_DP {
        return Err(bad(format!("at most {MAX_DP} decimal places")));
    }
    if whole.is_sign_negative() && !whole.is_zero() || round_half_up(whole, dp) != whole {
        return Err(bad(format!(
            "the target {whole} must be ≥ 0 with at most {dp} places"
        )));
    }
    if weights.iter().any(|w| w.is_sign_negative() && !w.is_zero()) {
        return Err(bad("weights must not be negative".into()));
    }
    let too_large = || bad("too large to split exactly".into());
    let units = scaled(whole, dp).ok_or_else(too_large)?;
    let scale = weights
        .iter()
        .map(|w| w.normalize().scale())
        .max()
        .unwrap_or(0);
    let w: Vec<i128> = weights
        .iter()
        .map(|x| scaled(*x, scale))
        .collect::<Option<_>>()
        .ok_or_else(too_large)?;
    let total = w
        .iter()
        .try_fold(0_i128, |s, x| s.checked_add(*x))
        .ok_or_else(too_large)?;
    if total == 0 {
        return Err(bad("nothing to split by: every weight is 0".into()));
    }
    let mut shares = Vec::with_capacity(w.len());
    let mut remainders = Vec::with_capacity(w.len());
    for (i, x) in w.iter().enumerate() {
        let q = units.checked_mul(*x).ok_or_else(too_large)?;
        shares.push(q / total);
        remainders.push((std::cmp::Reverse(q % total), i));
    }
    let handed_out: i128 = shares.iter().sum();
    remainders.sort_unstable();
    for &(_, i) in remainders.iter().take((units - handed_out) as usize) {
        shares[i] += 1;
    }
    shares
        .into_iter()
        .map(|s| Decimal::try_from_i128_with_scale(s, dp).map_err(|_| too_large()))
        .collect()
}

/// `v` × 10^`dp` as an integer, when that is exact and fits.
fn scaled(v: Decimal, dp: u32) -> Option<i128> {
    let v = v.normalize();
    let shift = dp.checked_sub(v.scale())?;
    v.mantissa().checked_mul(10_i128.checked_pow(shift)?)
}

/// Attainment in percent: actual ÷ target × 100, two decimals; `None` for a target of 0.
pub fn attainment(actual: Decimal, target: Decimal) -> Option<Decimal> {
    let ratio = actual.checked_div(target)?;
    ratio
        .checked_mul(Decimal::ONE_HUNDRED)
        .map(|v| round_half_up(v, 2))
}

#[cfg(test)]
mod tests;

mod plan;
mod units;
pub use plan::{OrgUnit, TargetPlan, mismatches};
pub use units::{
    AttainmentRow, TARGET_MEASURES, UNIT_ATTAINMENT, UnitAttainment, UnitKey, card_actual,
    is_target_measure, unit_rows,
};

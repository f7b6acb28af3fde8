//! Point standards with effective dates (绩效积分标准) and the points a day's work earns.
//!
//! A business type's standard is a coefficient per unit of work (per handled interaction,
//! per handled minute, per work item), effective from a date. A change takes effect from its
//! date on; a day is always scored with the standard in force on that day, so a past period
//! recomputes with the standards it had, and the book is versioned by date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::money::round_half_up;
use crate::org::TypeCode;

/// Decimal places points are kept to: coefficients are stored ×10⁴, and a per-minute line is
/// rounded half away from zero to this many places.
pub const POINTS_DP: u32 = 4;

/// The largest coefficient accepted; it keeps every product far from decimal overflow.
pub const MAX_COEFFICIENT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

const SIXTY: Decimal = Decimal::from_parts(60, 0, 0, false, 0);

/// What one unit of work of a type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointUnit {
    /// One handled interaction (call, chat, e-mail).
    PerInteraction,
    /// One minute of handle time (talk + hold + after-call work).
    PerMinute,
    /// One work item (a ticket, a lead, a reviewed form).
    PerItem,
}

/// One version of a business type's point standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointStandard {
    /// The business type.
    pub type_code: TypeCode,
    /// What the coefficient is per.
    pub unit: PointUnit,
    /// Points per unit, at most [`POINTS_DP`] decimal places.
    pub coefficient: Decimal,
    /// The first day this version applies.
    pub effective_from: NaiveDate,
}

/// Every version of every type's standard, answering "the standard for type T on day D".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StandardBook {
    by_type: BTreeMap<TypeCode, Vec<PointStandard>>,
}

impl StandardBook {
    /// Builds the book, refusing two versions of a type on the same date, negative
    /// coefficients and coefficients with more than [`POINTS_DP`] places.
    pub fn new(standards: Vec<PointStandard>) -> Result<StandardBook, CoreError> {
        let mut by_type: BTreeMap<TypeCode, Vec<PointStandard>> = BTreeMap::new();
        for s in standards {
            let c = s.coefficient;
            if c.is_sign_negative() && !c.is_zero() || c > MAX_COEFFICIENT {
                let reason = format!("must be 0 to {MAX_COEFFICIENT}");
                return Err(CoreError::invalid("coefficient", &c.to_string(), reason));
            }
            if c.normalize().scale() > POINTS_DP {
                let reason = format!("has more than {POINTS_DP} decimal places");
                return Err(CoreError::invalid("coefficient", &c.to_string(), reason));
            }
            by_type.entry(s.type_code.clone()).or_default().push(s);
        }
        for versions in by_type.values_mut() {
            versions.sort_by_key(|s| s.effective_from);
            if let Some(w) = versions
                .windows(2)
                .find(|w| w[0].effective_from == w[1].effective_from)
            {
                return Err(CoreError::DuplicateStandard {
                    type_code: w[0].type_code.to_string(),
                    effective_from: w[0].effective_from,
                });
            }
        }
        Ok(StandardBook { by_type })
    }

    /// The version in force for `type_code` on `date`: the latest effective on or before it.
    pub fn standard_for(&self, type_code: &TypeCode, date: NaiveDate) -> Option<&PointStandard> {
        let versions = self.by_type.get(type_code)?;
        let after = versions.partition_point(|s| s.effective_from <= date);
        after.checked_sub(1).map(|i| &versions[i])
    }

    /// Every type's coefficient on `date`, for the per-interaction scoring of today's rules.
    pub fn coefficients_on(&self, date: NaiveDate) -> BTreeMap<TypeCode, Decimal> {
        self.by_type
            .keys()
            .filter_map(|t| Some((t.clone(), self.standard_for(t, date)?.coefficient)))
            .collect()
    }

    /// A type's versions, oldest first.
    pub fn history(&self, type_code: &TypeCode) -> &[PointStandard] {
        self.by_type.get(type_code).map_or(&[], Vec::as_slice)
    }
}

/// One agent's work of one type on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayTally {
    /// The business type.
    pub type_code: TypeCode,
    /// Handled interactions.
    pub interactions: u64,
    /// Σ handle seconds (talk + hold + after-call work) of those interactions.
    pub handle_secs: u64,
    /// Work items.
    pub items: Decimal,
}

/// One type's points on a day, with the standard that gave them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPointsLine {
    /// The business type.
    pub type_code: TypeCode,
    /// The standard applied; `None` when the type had none that day (it earns 0).
    pub standard: Option<PointStandard>,
    /// Units of work: interactions, minutes (to [`POINTS_DP`] places) or items; interactions
    /// when there is no standard.
    pub quantity: Decimal,
    /// quantity × coefficient, [`POINTS_DP`] places.
    pub points: Decimal,
}

/// A day's points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPoints {
    /// The day.
    pub date: NaiveDate,
    /// One line per type worked, by type code.
    pub lines: Vec<DayPointsLine>,
    /// Σ line points.
    pub total: Decimal,
}

impl DayPoints {
    /// The types worked that day with no standard in force: worth a warning.
    pub fn missing(&self) -> impl Iterator<Item = &TypeCode> {
        self.lines
            .iter()
            .filter(|l| l.standard.is_none())
            .map(|l| &l.type_code)
    }
}

/// The points of one day's tallies under the standards in force that day. Tallies of the
/// same type are summed first; minutes are handle seconds ÷ 60, unrounded until the line.
pub fn points_for_day(
    book: &StandardBook,
    date: NaiveDate,
    tallies: &[DayTally],
) -> Result<DayPoints, CoreError> {
    let overflow = || CoreError::invalid("points", &date.to_string(), "too large to compute");
    let mut by_type: BTreeMap<&TypeCode, (u64, u64, Decimal)> = BTreeMap::new();
    for t in tallies {
        let e = by_type.entry(&t.type_code).or_default();
        e.0 = e.0.checked_add(t.interactions).ok_or_else(overflow)?;
        e.1 = e.1.checked_add(t.handle_secs).ok_or_else(overflow)?;
        e.2 = e.2.checked_add(t.items).ok_or_else(overflow)?;
    }
    let mut lines = Vec::with_capacity(by_type.len());
    let mut total = Decimal::ZERO;
    for (code, (interactions, secs, items)) in by_type {
        let standard = book.standard_for(code, date).cloned();
        let (quantity, points) = match &standard {
            None => (Decimal::from(interactions), Decimal::ZERO),
            Some(s) => {
                let (quantity, raw) = match s.unit {
                    PointUnit::PerInteraction => {
                        let q = Decimal::from(interactions);
                        (q, q.checked_mul(s.coefficient))
                    }
                    // Multiply before dividing by 60, so the only rounding is the line's.
                    PointUnit::PerMinute => (
                        round_half_up(Decimal::from(secs) / SIXTY, POINTS_DP),
                        Decimal::from(secs)
                            .checked_mul(s.coefficient)
                            .and_then(|p| p.checked_div(SIXTY)),
                    ),
                    PointUnit::PerItem => (items, items.checked_mul(s.coefficient)),
                };
                (
                    quantity,
                    round_half_up(raw.ok_or_else(overflow)?, POINTS_DP),
                )
            }
        };
        total = total.checked_add(points).ok_or_else(overflow)?;
        lines.push(DayPointsLine {
            type_code: code.clone(),
            standard,
            quantity,
            points,
        });
    }
    Ok(DayPoints { date, lines, total })
}

#[cfg(test)]
mod tests;

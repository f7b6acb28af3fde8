//! Units of measures and KPIs, and the small dimension algebra formulas are checked with.
//!
//! Counts and percentages are plain numbers: `answered / offered * 100` is a number, and a
//! count may divide anything (`handle_secs / handled` is seconds). Seconds, minutes, money,
//! QA score points and workload points are dimensions of their own, so adding seconds to a
//! count, or minutes to seconds, is caught when a formula is saved.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The unit a measure or a KPI value is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of things: calls, surveys, shifts, orders.
    Count,
    /// Seconds of time.
    Seconds,
    /// Minutes of time (attendance is rostered in minutes).
    Minutes,
    /// Money, in yuan.
    Money,
    /// QA form points (0–100 per review).
    Score,
    /// Workload points (绩效积分).
    Points,
    /// A percentage: a plain number scaled by 100.
    Percent,
}

impl Unit {
    /// Every unit.
    pub const ALL: [Unit; 7] = [
        Unit::Count,
        Unit::Seconds,
        Unit::Minutes,
        Unit::Money,
        Unit::Score,
        Unit::Points,
        Unit::Percent,
    ];

    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Seconds => "seconds",
            Unit::Minutes => "minutes",
            Unit::Money => "money",
            Unit::Score => "score",
            Unit::Points => "points",
            Unit::Percent => "percent",
        }
    }

    /// The dimension values of this unit have in a formula.
    pub fn dimension(self) -> Dimension {
        let base = match self {
            Unit::Count | Unit::Percent => return Dimension::NUMBER,
            Unit::Seconds => 0,
            Unit::Minutes => 1,
            Unit::Money => 2,
            Unit::Score => 3,
            Unit::Points => 4,
        };
        let mut d = Dimension::NUMBER;
        d.0[base] = 1;
        d
    }
}

const BASE_NAMES: [&str; 5] = ["seconds", "minutes", "money", "score", "points"];

/// A product of powers of the base dimensions; all zero is a plain number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dimension([i8; 5]);

impl Dimension {
    /// A plain number (counts, ratios, percentages).
    pub const NUMBER: Dimension = Dimension([0; 5]);

    /// The dimension of a product; `None` if an exponent leaves the supported range.
    pub fn times(self, o: Dimension) -> Option<Dimension> {
        self.combine(o, i8::checked_add)
    }

    /// The dimension of a quotient; `None` if an exponent leaves the supported range.
    pub fn per(self, o: Dimension) -> Option<Dimension> {
        self.combine(o, i8::checked_sub)
    }

    fn combine(self, o: Dimension, f: fn(i8, i8) -> Option<i8>) -> Option<Dimension> {
        let mut out = [0_i8; 5];
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = f(self.0[i], o.0[i])?;
        }
        Some(Dimension(out))
    }

    /// Whether a value of this dimension may be shown in `unit`.
    pub fn fits(self, unit: Unit) -> bool {
        self == unit.dimension()
    }
}

impl fmt::Display for Dimension {
    /// `number`, `seconds`, `money/minutes`, `seconds^2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = |sign: i8| {
            BASE_NAMES
                .iter()
                .zip(self.0)
                .filter(|(_, e)| e.signum() == sign)
                .map(|(n, e)| match e.abs() {
                    1 => (*n).to_string(),
                    p => format!("{n}^{p}"),
                })
                .collect::<Vec<_>>()
                .join("·")
        };
        let (num, den) = (part(1), part(-1));
        match (num.is_empty(), den.is_empty()) {
            (true, true) => f.write_str("number"),
            (false, true) => f.write_str(&num),
            (true, false) => write!(f, "1/{den}"),
            (false, false) => write!(f, "{num}/{den}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_percentages_are_plain_numbers_and_time_is_not() {
        assert_eq!(Unit::Count.dimension(), Dimension::NUMBER);
        assert_eq!(Unit::Percent.dimension(), Dimension::NUMBER);
        assert_ne!(Unit::Seconds.dimension(), Unit::Minutes.dimension());
        let per_call = Unit::Seconds.dimension().per(Unit::Count.dimension());
        assert_eq!(per_call, Some(Unit::Seconds.dimension()));
    }

    #[test]
    fn dimensions_print_as_readable_units() {
        let s = Unit::Seconds.dimension();
        let m = Unit::Money.dimension();
        assert_eq!(Dimension::NUMBER.to_string(), "number");
        assert_eq!(s.times(s).unwrap().to_string(), "seconds^2");
        assert_eq!(
            m.per(Unit::Minutes.dimension()).unwrap().to_string(),
            "money/minutes"
        );
        assert_eq!(Dimension::NUMBER.per(s).unwrap().to_string(), "1/seconds");
    }
}

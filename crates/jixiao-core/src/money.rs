//! Money and rounding. Every amount is an exact `Decimal`; the rounding rule is explicit and
//! printed on the payslip.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Rounds half away from zero (四舍五入), the rule payslips use unless configured otherwise.
pub fn round_half_up(v: Decimal, dp: u32) -> Decimal {
    v.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

const HALF_UP_PREFIX: &str = "rounded half away from zero to ";

/// How pay amounts are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundingRule {
    /// Decimal places kept (2 = fen).
    pub dp: u32,
}

impl Default for RoundingRule {
    fn default() -> Self {
        RoundingRule { dp: 2 }
    }
}

impl RoundingRule {
    /// Applies the rule.
    pub fn apply(self, v: Decimal) -> Decimal {
        round_half_up(v, self.dp)
    }

    /// The rule as printed on a payslip.
    pub fn describe(self) -> String {
        format!("{HALF_UP_PREFIX}{} decimal places (四舍五入)", self.dp)
    }

    /// Reads back a rule worded by [`RoundingRule::describe`]; scorecards stored before the
    /// rule was kept as data only have the words.
    pub fn from_description(text: &str) -> Option<RoundingRule> {
        let rest = text.strip_prefix(HALF_UP_PREFIX)?;
        let (dp, _) = rest.split_once(' ')?;
        Some(RoundingRule {
            dp: dp.parse().ok()?,
        })
    }
}

/// Converts a value stored as a scaled integer (for example fen ×100) back to a decimal.
pub fn from_scaled(v: i64, scale: u32) -> Decimal {
    Decimal::new(v, scale)
}

/// Converts a decimal to a scaled integer for storage, refusing values that would lose digits.
pub fn to_scaled(v: Decimal, scale: u32) -> Option<i64> {
    let scaled = v * Decimal::from(10_i64.pow(scale));
    if scaled.fract().is_zero() {
        rust_decimal::prelude::ToPrimitive::to_i64(&scaled)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn half_cents_round_away_from_zero_not_to_even() {
        assert_eq!(RoundingRule::default().apply(dec!(2.345)), dec!(2.35));
        assert_eq!(RoundingRule::default().apply(dec!(2.335)), dec!(2.34));
        assert_eq!(RoundingRule::default().apply(dec!(-2.345)), dec!(-2.35));
    }

    #[test]
    fn a_rounding_rule_in_words_reads_back_as_the_same_rule() {
        let rule = RoundingRule { dp: 3 };
        assert_eq!(RoundingRule::from_description(&rule.describe()), Some(rule));
        assert_eq!(RoundingRule::from_description("truncated"), None);
    }

    #[test]
    fn scaled_integers_round_trip_and_refuse_lost_digits() {
        assert_eq!(to_scaled(dec!(1.2345), 4), Some(12345));
        assert_eq!(from_scaled(12345, 4), dec!(1.2345));
        assert_eq!(to_scaled(dec!(1.23456), 4), None);
        assert_eq!(to_scaled(dec!(-3), 2), Some(-300));
    }
}

//! Adjustments: corrections to a closed period, recorded in a later open period. A closed
//! period's snapshot never changes, so a correction lands on the employee's card of the period
//! it is entered in, with its reason and author, and changes that card's points and pay.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{CoreError, Period};

/// One adjustment as shown on a scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustmentLine {
    /// The stored adjustment's id.
    pub id: i64,
    /// The closed period it corrects, if it corrects one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<Period>,
    /// Points added (negative: removed).
    pub points: Decimal,
    /// Pay added (negative: deducted), exact to the fen.
    pub pay: Decimal,
    /// Why, as the author wrote it.
    pub reason: String,
    /// Who entered it.
    pub author: String,
    /// When it was entered.
    pub created_at: DateTime<Utc>,
}

/// Checks what a user typed for an adjustment: a non-blank reason, at least one non-zero
/// amount, pay in whole fen and points to at most two decimals (both are stored ×100).
pub fn validate(points: Decimal, pay: Decimal, reason: &str) -> Result<(), CoreError> {
    if reason.trim().is_empty() {
        return Err(CoreError::invalid(
            "adjustment reason",
            reason,
            "a reason is required",
        ));
    }
    if points.is_zero() && pay.is_zero() {
        return Err(CoreError::invalid(
            "adjustment",
            "0",
            "give a non-zero amount of points or pay",
        ));
    }
    for (what, v) in [("adjustment points", points), ("adjustment pay", pay)] {
        if v.normalize().scale() > 2 {
            return Err(CoreError::invalid(
                what,
                &v.to_string(),
                "at most two decimal places",
            ));
        }
    }
    Ok(())
}

/// Adds `lines` to `card`: their points to its points and their pay to its variable pay, with
/// a note, so the pay total and its explanation agree. Lines are kept in the given order.
pub fn apply(card: &mut crate::scorecard::Scorecard, lines: Vec<AdjustmentLine>) {
    if lines.is_empty() {
        return;
    }
    let points: Decimal = lines.iter().map(|l| l.points).sum();
    let pay: Decimal = lines.iter().map(|l| l.pay).sum();
    card.points += points;
    card.variable_pay += pay;
    card.notes.push(format!(
        "{} adjustment(s): {points:+} points, {pay:+} pay",
        lines.len()
    ));
    card.adjustments.extend(lines);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustment_needs_a_reason_and_an_amount() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert!(validate(d("0"), d("12.50"), "missed call credit").is_ok());
        assert!(validate(d("-3"), d("0"), "duplicate").is_ok());
        assert_eq!(
            validate(d("0"), d("12.50"), "  ").unwrap_err().code(),
            "invalid_value"
        );
        assert!(validate(d("0"), d("0"), "nothing").is_err());
        assert!(validate(d("0"), d("0.001"), "fractions of a fen").is_err());
    }
}

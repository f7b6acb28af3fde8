//! Work records: countable work outside interactions (marketing results, QA workload,
//! back-office work, later finance and IT work).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::org::{AgentRef, TypeCode};

/// Decimal places a quantity may have: quantities are stored ×10².
pub const QUANTITY_DP: u32 = 2;

/// A quantity of one type of work done by one employee on one day, keyed by
/// (source, record id), counted in the period of its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkRecord {
    /// The source system, for example `backoffice`.
    pub source: String,
    /// The source system's id for the entry.
    pub record_id: String,
    /// The day the work was done.
    pub date: NaiveDate,
    /// The employee.
    pub employee_no: AgentRef,
    /// The type of work, a code such as `LEAD` or `QA_REVIEW`.
    pub work_type: TypeCode,
    /// How much (items, hours …; the unit belongs to the work type).
    pub quantity: Decimal,
    /// A free note.
    pub note: Option<String>,
}

/// Checks a work quantity: not negative, at most [`QUANTITY_DP`] decimal places. A correction
/// is sent as the same record id with the right quantity, never as a negative entry.
pub fn check_quantity(v: Decimal) -> Result<Decimal, CoreError> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(CoreError::invalid(
            "quantity",
            &v.to_string(),
            "must not be negative",
        ));
    }
    if v.normalize().scale() > QUANTITY_DP {
        return Err(CoreError::invalid(
            "quantity",
            &v.to_string(),
            format!("has more than {QUANTITY_DP} decimal places"),
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn quantities_are_non_negative_with_at_most_two_decimals() {
        assert_eq!(check_quantity(dec!(2.50)), Ok(dec!(2.50)));
        assert!(check_quantity(dec!(0)).is_ok());
        assert!(check_quantity(dec!(-1)).is_err());
        assert!(check_quantity(dec!(0.125)).is_err());
    }
}

//! Attendance: scheduled and worked time, absence and lateness per shift (or per day).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::org::AgentRef;

/// One shift (or one day) of one employee, keyed by (source, record id) — the record id is
/// the source's shift or roster-line id — counted in the period of its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRecord {
    /// The source system, for example `wfm`.
    pub source: String,
    /// The source system's shift id.
    pub record_id: String,
    /// The day of the shift (the day it started).
    pub date: NaiveDate,
    /// The employee.
    pub employee_no: AgentRef,
    /// Minutes scheduled.
    pub scheduled_mins: u32,
    /// Minutes actually worked (may exceed the schedule: overtime).
    pub worked_mins: u32,
    /// Scheduled minutes missed through absence.
    pub absent_mins: u32,
    /// Minutes late at the start of the shift.
    pub late_mins: u32,
}

impl AttendanceRecord {
    /// Checks absence and lateness fit in the schedule; the error names the field.
    pub fn check(&self) -> Result<(), CoreError> {
        for (what, v) in [
            ("absent_mins", self.absent_mins),
            ("late_mins", self.late_mins),
        ] {
            if v > self.scheduled_mins {
                return Err(CoreError::invalid(
                    what,
                    &v.to_string(),
                    "is more than scheduled_mins",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absence_or_lateness_beyond_the_schedule_is_rejected() {
        let shift = AttendanceRecord {
            source: "wfm".into(),
            record_id: "SH1".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            employee_no: AgentRef::parse("A001").unwrap(),
            scheduled_mins: 480,
            worked_mins: 500,
            absent_mins: 0,
            late_mins: 5,
        };
        assert!(shift.check().is_ok());
        let absent = AttendanceRecord {
            absent_mins: 481,
            ..shift.clone()
        };
        assert!(absent.check().is_err());
        let late = AttendanceRecord {
            late_mins: 481,
            ..shift
        };
        assert!(late.check().is_err());
    }
}

//! Team membership with effective dates: an agent who moves team mid-month is counted in each
//! team for the days they were there.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Period;

/// An employee's membership of a team from `valid_from` to `valid_to` (both inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The employee.
    pub employee_id: i64,
    /// The team.
    pub team_id: i64,
    /// First day in the team.
    pub valid_from: NaiveDate,
    /// Last day in the team; `None` while still there.
    pub valid_to: Option<NaiveDate>,
}

impl Membership {
    /// Whether the employee was in the team on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        date >= self.valid_from && self.valid_to.is_none_or(|end| date <= end)
    }
}

/// How many days of `period` the membership covers (0 when it does not overlap).
pub fn segment_days(m: &Membership, period: Period) -> u32 {
    let start = m.valid_from.max(period.first_day());
    let end = m
        .valid_to
        .map_or(period.last_day(), |e| e.min(period.last_day()));
    if end < start {
        0
    } else {
        (end - start).num_days() as u32 + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_mid_month_move_splits_the_month_between_two_teams() {
        let p: Period = "2026-10".parse().unwrap();
        let first = Membership {
            employee_id: 1,
            team_id: 1,
            valid_from: d("2025-01-01"),
            valid_to: Some(d("2026-10-14")),
        };
        let second = Membership {
            employee_id: 1,
            team_id: 2,
            valid_from: d("2026-10-15"),
            valid_to: None,
        };
        assert_eq!(segment_days(&first, p), 14);
        assert_eq!(segment_days(&second, p), 17);
        assert!(first.covers(d("2026-10-14")) && !first.covers(d("2026-10-15")));
        assert!(second.covers(d("2026-10-15")));
    }

    #[test]
    fn a_membership_outside_the_period_covers_no_days() {
        let p: Period = "2026-10".parse().unwrap();
        let m = Membership {
            employee_id: 1,
            team_id: 1,
            valid_from: d("2026-11-01"),
            valid_to: None,
        };
        assert_eq!(segment_days(&m, p), 0);
    }
}

//! Assessment periods. A period is a calendar month; quarters and years aggregate months.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::CoreError;

/// A calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    /// Builds a period, checking the month is 1..=12 and the year is plausible.
    pub fn new(year: i32, month: u32) -> Result<Self, CoreError> {
        if !(1..=12).contains(&month) || !(1970..=9999).contains(&year) {
            return Err(CoreError::invalid(
                "period",
                &format!("{year}-{month}"),
                "expected a year 1970-9999 and a month 1-12",
            ));
        }
        Ok(Period { year, month })
    }

    /// The month containing `date`.
    pub fn containing(date: NaiveDate) -> Self {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("validated period")
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.next()
            .first_day()
            .pred_opt()
            .expect("not the first day ever")
    }

    /// The number of days in the month.
    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    /// The following month.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Period {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Period {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The preceding month.
    pub fn prev(self) -> Self {
        if self.month == 1 {
            Period {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Period {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Whether `date` falls in this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        Period::containing(date) == self
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CoreError::invalid("period", s, "expected YYYY-MM, for example 2026-10");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        Period::new(year, month)
    }
}

impl TryFrom<String> for Period {
    type Error = CoreError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

/// Where a period is in its lifecycle: open → computed → in review → closed. Closed periods
/// never change; corrections to them are adjustments in a later open period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodStatus {
    /// Records may arrive; no scorecards have been saved yet.
    Open,
    /// Scorecards are computed and saved; new records still recompute them.
    Computed,
    /// Agents see their results and may appeal until the review window ends; new records still
    /// recompute the cards, so a late record is not lost while the review runs.
    InReview,
    /// Frozen: the snapshot and its hash are final.
    Closed,
}

impl PeriodStatus {
    /// Every state, in lifecycle order.
    pub const ALL: [PeriodStatus; 4] = [
        PeriodStatus::Open,
        PeriodStatus::Computed,
        PeriodStatus::InReview,
        PeriodStatus::Closed,
    ];

    /// The stored spelling (also the serde spelling; never change it: rows keep it).
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodStatus::Open => "open",
            PeriodStatus::Computed => "computed",
            PeriodStatus::InReview => "in_review",
            PeriodStatus::Closed => "closed",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        PeriodStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                CoreError::invalid(
                    "period status",
                    s,
                    "expected open, computed, in_review or closed",
                )
            })
    }

    /// Whether records still change the period's scorecards (everything but closed).
    pub fn accepts_records(self) -> bool {
        self != PeriodStatus::Closed
    }

    /// Whether a period may move from `self` to `to`. Computing is allowed again from computed
    /// and in review (late records); a review window may be re-opened to move its end; closing
    /// is allowed from every unclosed state, because closing computes the final cards itself.
    pub fn can_become(self, to: PeriodStatus) -> bool {
        use PeriodStatus::*;
        matches!(
            (self, to),
            (Open | Computed, Computed)
                | (Computed | InReview, InReview)
                | (Open | Computed | InReview, Closed)
        )
    }

    /// The transitions a manager can ask for from here (computing happens on its own).
    pub fn manager_actions(self) -> Vec<PeriodStatus> {
        [PeriodStatus::InReview, PeriodStatus::Closed]
            .into_iter()
            .filter(|&to| self.can_become(to))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_print_as_year_dash_month() {
        let p: Period = "2026-02".parse().unwrap();
        assert_eq!(p.to_string(), "2026-02");
        assert_eq!(p.days(), 28);
        assert_eq!("2024-02".parse::<Period>().unwrap().days(), 29);
    }

    #[test]
    fn malformed_periods_are_rejected_with_the_value() {
        for bad in ["2026", "2026-13", "2026-00", "26-01", "2026-1x", ""] {
            let err = bad.parse::<Period>().unwrap_err();
            assert_eq!(err.code(), "invalid_value", "{bad}");
        }
    }

    #[test]
    fn next_and_prev_cross_year_boundaries() {
        let dec: Period = "2025-12".parse().unwrap();
        assert_eq!(dec.next().to_string(), "2026-01");
        assert_eq!(dec.next().prev(), dec);
        assert_eq!(
            dec.last_day(),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
    }

    #[test]
    fn every_status_round_trips_through_its_stored_spelling() {
        for st in PeriodStatus::ALL {
            assert_eq!(PeriodStatus::parse(st.as_str()).unwrap(), st);
            let json = serde_json::to_string(&st).unwrap();
            assert_eq!(json, format!("\"{}\"", st.as_str()));
        }
        assert_eq!(
            PeriodStatus::parse("reviewing").unwrap_err().code(),
            "invalid_value"
        );
    }

    #[test]
    fn the_lifecycle_allows_only_forward_moves_and_nothing_after_closing() {
        use PeriodStatus::*;
        assert!(Open.can_become(Computed));
        assert!(Computed.can_become(Computed));
        assert!(Computed.can_become(InReview));
        assert!(InReview.can_become(InReview));
        assert!(InReview.can_become(Closed));
        assert!(Computed.can_become(Closed));
        assert!(!Open.can_become(InReview), "a review needs computed cards");
        assert!(!InReview.can_become(Computed));
        assert!(!InReview.can_become(Open));
        for to in PeriodStatus::ALL {
            assert!(!Closed.can_become(to), "closed → {to:?}");
        }
        assert_eq!(Closed.manager_actions(), vec![]);
        assert_eq!(Computed.manager_actions(), vec![InReview, Closed]);
    }
}

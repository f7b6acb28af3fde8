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

/// Where a period is in its lifecycle. Closed periods never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodStatus {
    /// Records may arrive; scorecards are recomputed on every import.
    Open,
    /// Frozen: the snapshot and its hash are final.
    Closed,
}

impl PeriodStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodStatus::Open => "open",
            PeriodStatus::Closed => "closed",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        match s {
            "open" => Ok(PeriodStatus::Open),
            "closed" => Ok(PeriodStatus::Closed),
            _ => Err(CoreError::invalid(
                "period status",
                s,
                "expected open or closed",
            )),
        }
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
}

//! Source values to canonical text: dates and times in strftime patterns or as Excel serials,
//! moved from the source's time zone into the center's; durations in seconds, H:MM:SS or
//! minutes; decimals with thousands separators. Money stays `Decimal`: no `f64` arithmetic.

use std::str::FromStr;

use calamine::ExcelDateTime;
use chrono::format::{Fixed, Item, Numeric, StrftimeItems};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use super::source::Cell;
use crate::canonical::fields;

/// What a canonical column holds, judged by Jixiao's naming rule for columns: `*_at` a date
/// and time, `*_on` and `date` a date, `*_secs` and `*_mins` a duration, anything else text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    DateTime,
    Date,
    Seconds,
    Minutes,
    Text,
}

/// The target of canonical column `name`.
pub(crate) fn target(name: &str) -> Target {
    if name.ends_with("_at") {
        Target::DateTime
    } else if name.ends_with("_on") || name == "date" {
        Target::Date
    } else if name.ends_with("_secs") {
        Target::Seconds
    } else if name.ends_with("_mins") {
        Target::Minutes
    } else {
        Target::Text
    }
}

/// A checked strftime pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub text: String,
    pub has_time: bool,
}

/// Checks a strftime pattern: it must parse and hold a date.
pub(crate) fn pattern(text: &str) -> Result<Pattern, String> {
    let (mut date, mut time) = (false, false);
    for item in StrftimeItems::new(text) {
        match item {
            Item::Error => return Err("is not a valid strftime pattern".into()),
            Item::Numeric(n, _) => match n {
                Numeric::Year | Numeric::YearMod100 | Numeric::Month | Numeric::Day => date = true,
                Numeric::Ordinal | Numeric::IsoYear | Numeric::IsoWeek => date = true,
                Numeric::Hour | Numeric::Hour12 | Numeric::Minute | Numeric::Second => time = true,
                Numeric::Timestamp => (date, time) = (true, true),
                _ => {}
            },
            Item::Fixed(Fixed::ShortMonthName | Fixed::LongMonthName) => date = true,
            Item::Fixed(Fixed::RFC2822 | Fixed::RFC3339) => (date, time) = (true, true),
            _ => {}
        }
    }
    if !date {
        return Err("has no date in it (use %Y, %m, %d …)".into());
    }
    Ok(Pattern {
        text: text.to_string(),
        has_time: time,
    })
}

/// How the source writes a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Whole seconds or H:MM:SS / M:SS, as the canonical format.
    Auto,
    /// Whole seconds.
    Secs,
    /// H:MM:SS or M:SS.
    Hms,
    /// Minutes, possibly with a decimal part.
    Minutes,
}

/// Reads a duration format name.
pub(crate) fn unit(name: &str) -> Option<Unit> {
    match name {
        "auto" => Some(Unit::Auto),
        "secs" | "seconds" => Some(Unit::Secs),
        "hms" => Some(Unit::Hms),
        "minutes" | "mins" => Some(Unit::Minutes),
        _ => None,
    }
}

/// How to read a source cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    Text,
    Moment(Vec<Pattern>),
    Day(Vec<Pattern>),
    Duration(Unit),
    Decimal,
}

/// A value read from the source, before it is written in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    Text(String),
    /// A date and time in the source's zone.
    Moment(NaiveDateTime),
    Day(NaiveDate),
    Secs(u64),
    Dec(Decimal),
}

/// The source's and the center's time zones.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Zones {
    pub source: Option<Tz>,
    pub center: Tz,
}

impl Zones {
    /// `t`, a wall-clock time of the source, as the center's wall clock.
    pub fn center(&self, t: NaiveDateTime) -> Result<NaiveDateTime, String> {
        let Some(src) = self.source.filter(|s| *s != self.center) else {
            return Ok(t);
        };
        match src.from_local_datetime(&t) {
            chrono::LocalResult::Single(at) => Ok(at.with_timezone(&self.center).naive_local()),
            // Never guessed: an hour read twice or not at all is rejected, not shifted.
            chrono::LocalResult::Ambiguous(..) => Err(format!(
                "happened twice in {src} (the clocks went back): ambiguous"
            )),
            chrono::LocalResult::None => {
                Err(format!("did not exist in {src} (the clocks went forward)"))
            }
        }
    }
}

/// Reads a non-empty cell as `input` says.
pub(crate) fn read(cell: &Cell<'_>, input: &Input) -> Result<Val, String> {
    match input {
        Input::Text => Ok(Val::Text(cell.text().trim().to_string())),
        Input::Moment(patterns) => match cell {
            Cell::Text(s) => parse_text(s.trim(), patterns, true),
            _ => {
                let t = serial_moment(cell)?;
                if serial(cell).is_some_and(|f| f < 1.0) {
                    return Err("holds only a time of day, not a date and time".into());
                }
                Ok(Val::Moment(t))
            }
        },
        Input::Day(patterns) => match cell {
            Cell::Text(s) => parse_text(s.trim(), patterns, false),
            _ => {
                let t = serial_moment(cell)?;
                Ok(if t.time() == chrono::NaiveTime::MIN {
                    Val::Day(t.date())
                } else {
                    Val::Moment(t)
                })
            }
        },
        Input::Duration(unit) => duration(cell, *unit).map(Val::Secs),
        Input::Decimal => decimal(cell).map(Val::Dec),
    }
}

fn parse_text(s: &str, patterns: &[Pattern], need_time: bool) -> Result<Val, String> {
    for p in patterns {
        if p.has_time {
            if let Ok(t) = NaiveDateTime::parse_from_str(s, &p.text) {
                return Ok(Val::Moment(t));
            }
        } else if !need_time && let Ok(d) = NaiveDate::parse_from_str(s, &p.text) {
            return Ok(Val::Day(d));
        }
    }
    let list: Vec<&str> = patterns.iter().map(|p| p.text.as_str()).collect();
    let what = match need_time {
        true => "a date and time",
        false => "a date",
    };
    Err(match list.as_slice() {
        [one] => format!("expected {what} in the format {one}"),
        _ => format!("expected {what} in one of the formats {}", list.join(", ")),
    })
}

/// The Excel serial number of a number or date cell.
fn serial(cell: &Cell<'_>) -> Option<f64> {
    match cell {
        Cell::Serial(d) => Some(d.as_f64()),
        Cell::Number(f) => Some(*f),
        Cell::Int(n) => Some(*n as f64),
        Cell::Text(_) => None,
    }
}

/// A number or date cell as a date and time, rounded to the second.
fn serial_moment(cell: &Cell<'_>) -> Result<NaiveDateTime, String> {
    let bad = || "expected a date (an Excel date serial)".to_string();
    let t = match cell {
        // A date cell knows its workbook's date system (1900 or 1904); calamine applies it.
        Cell::Serial(d) => d.as_datetime().ok_or_else(bad)?,
        _ => {
            let f = serial(cell).ok_or_else(bad)?;
            if !(0.0..2_958_466.0).contains(&f) {
                return Err(bad());
            }
            // The 1900 system counts from 1899-12-30 for every date after its fictitious
            // 1900-02-29, which is all a call center will see.
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or_else(bad)?;
            let ms = (f * 86_400_000.0).round() as i64;
            epoch
                .and_time(chrono::NaiveTime::MIN)
                .checked_add_signed(TimeDelta::milliseconds(ms))
                .ok_or_else(bad)?
        }
    };
    let whole = t.with_nanosecond(0).ok_or_else(bad)?;
    Ok(if t.nanosecond() >= 500_000_000 {
        whole + TimeDelta::seconds(1)
    } else {
        whole
    })
}

/// A cell formatted as a date, time or duration, written as a person reads it.
pub(crate) fn serial_text(d: &ExcelDateTime) -> String {
    let f = d.as_f64();
    if d.is_duration() || (0.0..1.0).contains(&f) {
        return match day_fraction_secs(f) {
            Ok(s) => format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60),
            Err(_) => f.to_string(),
        };
    }
    match serial_moment(&Cell::Serial(*d)) {
        Ok(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
        Ok(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        Err(_) => f.to_string(),
    }
}

/// Excel keeps a time or duration as a fraction of a day; this is its whole seconds.
fn day_fraction_secs(f: f64) -> Result<u64, String> {
    let secs = f * 86_400.0;
    let rounded = secs.round();
    // The stored fractions are binary approximations of whole seconds: anything further off
    // holds a fraction of a second that would be lost.
    if !(0.0..=f64::from(u32::MAX)).contains(&rounded) || (secs - rounded).abs() > 0.001 {
        return Err("expected whole seconds (a time like 0:03:25)".into());
    }
    Ok(rounded as u64)
}

fn duration(cell: &Cell<'_>, unit: Unit) -> Result<u64, String> {
    let minutes = |d: Decimal| {
        let secs = d * Decimal::from(60);
        if secs.is_sign_negative() {
            return Err("must not be negative".to_string());
        }
        let bad = || "is not a whole number of seconds when read as minutes".to_string();
        // `u64::try_from` would drop a fraction silently.
        if !secs.fract().is_zero() {
            return Err(bad());
        }
        u64::try_from(secs).map_err(|_| bad())
    };
    let whole = |d: Decimal| {
        if d.is_sign_negative() {
            return Err("must not be negative".to_string());
        }
        let bad = || "expected whole seconds like 95".to_string();
        if !d.fract().is_zero() {
            return Err(bad());
        }
        u64::try_from(d).map_err(|_| bad())
    };
    match (cell, unit) {
        (Cell::Serial(d), _) => day_fraction_secs(d.as_f64()),
        (Cell::Text(s), Unit::Auto) => fields::secs(s.trim()).map(u64::from),
        (Cell::Text(s), Unit::Hms) if s.contains(':') => fields::secs(s.trim()).map(u64::from),
        (Cell::Text(_), Unit::Hms) => Err("expected a duration like 0:01:35".into()),
        (Cell::Text(s), Unit::Secs) => whole(number(s.trim())?),
        (Cell::Text(s), Unit::Minutes) => minutes(number(s.trim())?),
        // A plain number in an H:MM:SS column is a time cell whose format was lost.
        (_, Unit::Hms) => day_fraction_secs(serial(cell).unwrap_or(-1.0)),
        (_, Unit::Minutes) => minutes(decimal(cell)?),
        (_, Unit::Auto | Unit::Secs) => whole(decimal(cell)?),
    }
}

fn number(s: &str) -> Result<Decimal, String> {
    Decimal::from_str(s).map_err(|_| "expected a number like 95".to_string())
}

/// A decimal: a number cell, or text with optional thousands separators and currency sign.
fn decimal(cell: &Cell<'_>) -> Result<Decimal, String> {
    let bad = || "expected a number like 1234.50".to_string();
    match cell {
        Cell::Int(n) => Ok(Decimal::from(*n)),
        // The shortest text that reads back as the same f64 is what the sheet shows.
        Cell::Number(f) => Decimal::from_str(&f.to_string())
            .or_else(|_| Decimal::from_scientific(&format!("{f:e}")))
            .map_err(|_| bad()),
        Cell::Serial(_) => Err("expected a number, found a date or time".into()),
        Cell::Text(s) => {
            let s = s.trim();
            let s = s.strip_prefix(['¥', '￥', '$', '€', '£']).unwrap_or(s);
            let clean: String = s.chars().filter(|c| *c != ',' && *c != ' ').collect();
            Decimal::from_str(&clean).map_err(|_| bad())
        }
    }
}

/// Writes `val` as canonical text for a column of `target`.
pub(crate) fn write(val: Val, target: Target, zones: &Zones) -> Result<String, String> {
    let mut out = String::new();
    match (val, target) {
        (Val::Text(s), _) => return Ok(s),
        (Val::Moment(t), Target::Date) => fields::write_date(&mut out, zones.center(t)?.date()),
        (Val::Moment(t), _) => fields::write_datetime(&mut out, zones.center(t)?),
        (Val::Day(_), Target::DateTime) => return Err("has a date but no time of day".into()),
        (Val::Day(d), _) => fields::write_date(&mut out, d),
        (Val::Secs(s), Target::Minutes) if s % 60 != 0 => {
            return Err(format!("{s} s is not a whole number of minutes"));
        }
        (Val::Secs(s), Target::Minutes) => out = (s / 60).to_string(),
        (Val::Secs(s), _) => out = s.to_string(),
        (Val::Dec(d), _) => out = d.to_string(),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_without_a_date_are_refused() {
        assert!(pattern("%d/%m/%Y %H:%M").unwrap().has_time);
        assert!(!pattern("%y%m%d").unwrap().has_time);
        assert!(pattern("%H:%M").is_err());
        assert!(pattern("%Y-%m-%d %Q").is_err());
    }

    #[test]
    fn durations_read_in_each_unit() {
        let t = |s: &str, u| duration(&Cell::Text(s.into()), u);
        assert_eq!(t("95", Unit::Secs), Ok(95));
        assert_eq!(t("0:01:35", Unit::Hms), Ok(95));
        assert_eq!(t("1.5", Unit::Minutes), Ok(90));
        assert!(t("1.5", Unit::Secs).is_err());
        assert!(t("-3", Unit::Secs).is_err());
        assert!(t("95", Unit::Hms).is_err());
        assert_eq!(duration(&Cell::Number(0.5), Unit::Hms), Ok(43_200));
    }

    #[test]
    fn excel_serials_become_dates_and_times_to_the_second() {
        let t = serial_moment(&Cell::Number(44_197.5)).unwrap();
        assert_eq!(t.to_string(), "2021-01-01 12:00:00");
        assert!(read(&Cell::Number(0.25), &Input::Moment(vec![])).is_err());
    }

    #[test]
    fn source_times_move_into_the_center_zone() {
        let zones = Zones {
            source: Some(chrono_tz::Europe::Berlin),
            center: chrono_tz::Asia::Shanghai,
        };
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        let w = |s| write(Val::Moment(at(s)), Target::DateTime, &zones);
        assert_eq!(w("2026-01-15 09:00:00"), Ok("2026-01-15 16:00:00".into()));
        assert!(w("2026-03-29 02:30:00").is_err(), "a time skipped by DST");
        assert!(w("2026-10-25 02:30:00").is_err(), "a time read twice");
    }
}

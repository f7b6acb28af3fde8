//! Excel cell values to Jixiao's field types: text, whole numbers and the serial numbers Excel
//! stores dates, times and durations as.

use calamine::Data;
use chrono::{NaiveDate, NaiveTime, TimeDelta};
use jixiao_core::org::TypeCode;

use crate::canonical::fields;

const SECS_PER_DAY: f64 = 86_400.0;

pub(super) fn is_blank(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as a person sees it in the reject report.
pub(super) fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::DateTime(d) => d.as_f64().to_string(),
        other => other.to_string(),
    }
}

/// A text cell's trimmed content parsed by `f`.
pub(super) fn text<T>(c: &Data, f: impl FnOnce(&str) -> Result<T, String>) -> Result<T, String> {
    match c {
        Data::String(s) => f(s.trim()),
        _ => Err("expected text".into()),
    }
}

/// `Y` or `N`.
pub(super) fn yes_no(s: &str) -> Result<bool, String> {
    match s {
        "Y" => Ok(true),
        "N" => Ok(false),
        _ => Err("expected Y or N".into()),
    }
}

/// A topic as a business type code: `Contract related` → `CONTRACT_RELATED`.
pub(super) fn topic_code(s: &str) -> Result<TypeCode, String> {
    let code: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    fields::type_code(&code)
}

/// A number cell holding a whole number ≥ 0.
pub(super) fn whole(c: &Data) -> Result<u32, String> {
    let bad = || "expected a whole number".to_string();
    match c {
        Data::Int(n) => u32::try_from(*n).map_err(|_| bad()),
        Data::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX) => {
            Ok(*f as u32)
        }
        Data::String(s) => s.trim().parse().map_err(|_| bad()),
        _ => Err(bad()),
    }
}

/// Excel stores a time or duration as a fraction of a day; this is whole seconds of it.
fn serial_secs(serial: f64) -> Result<u32, String> {
    let secs = serial * SECS_PER_DAY;
    let rounded = secs.round();
    // The stored fractions are binary approximations of whole seconds: anything further off
    // holds a fraction of a second that would be lost.
    if !(0.0..=f64::from(u32::MAX)).contains(&rounded) || (secs - rounded).abs() > 0.001 {
        return Err("expected whole seconds (a time like 0:03:25)".into());
    }
    Ok(rounded as u32)
}

/// A number cell as an Excel serial, whether or not it is formatted as a date or time.
fn serial(c: &Data) -> Option<f64> {
    match c {
        Data::DateTime(d) => Some(d.as_f64()),
        Data::Float(f) => Some(*f),
        Data::Int(n) => Some(*n as f64),
        _ => None,
    }
}

/// A talk duration: a time cell (fraction of a day) or text `H:MM:SS`.
pub(super) fn duration(c: &Data) -> Result<u32, String> {
    match c {
        Data::String(s) => fields::secs(s.trim()),
        _ => serial(c)
            .ok_or_else(|| "expected a duration like 0:03:25".to_string())
            .and_then(serial_secs),
    }
}

/// A time of day: a time cell (fraction of a day below 1) or text `HH:MM:SS`.
pub(super) fn time_of_day(c: &Data) -> Result<NaiveTime, String> {
    let bad = || "expected a time of day like 9:13:27".to_string();
    let secs = match c {
        Data::String(s) => {
            return NaiveTime::parse_from_str(s.trim(), "%H:%M:%S").map_err(|_| bad());
        }
        _ => serial(c).ok_or_else(bad)?,
    };
    if !(0.0..1.0).contains(&secs) {
        return Err(bad());
    }
    let secs = serial_secs(secs)?;
    NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).ok_or_else(bad)
}

/// A date: text `YYYY-MM-DD` (as in the published sheet) or an Excel date serial.
pub(super) fn date(c: &Data) -> Result<NaiveDate, String> {
    let bad = || "expected a date like 2021-01-31".to_string();
    match c {
        Data::String(s) => fields::date(s.trim()),
        // A date cell knows its workbook's date system (1900 or 1904); calamine applies it.
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => Ok(t.date()),
            _ => Err(bad()),
        },
        _ => {
            let serial = serial(c).ok_or_else(bad)?;
            if serial.fract() != 0.0 || !(1.0..=2_958_465.0).contains(&serial) {
                return Err(bad());
            }
            // Serials count days from 1899-12-30 in the 1900 date system (Excel's default),
            // which absorbs its fictitious 1900-02-29 for every date after it.
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or_else(bad)?;
            epoch
                .checked_add_signed(TimeDelta::days(serial as i64))
                .ok_or_else(bad)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_dates_and_times_become_calendar_values() {
        assert_eq!(
            date(&Data::Float(44_197.0)),
            Ok(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap())
        );
        assert_eq!(
            date(&Data::String("2021-03-31".into())),
            Ok(NaiveDate::from_ymd_opt(2021, 3, 31).unwrap())
        );
        assert!(date(&Data::Float(44_197.5)).is_err());
        // Row 2 of the published sheet: 9:12:58.
        assert_eq!(
            time_of_day(&Data::Float(0.384_004_629_629_629_6)),
            Ok(NaiveTime::from_hms_opt(9, 12, 58).unwrap())
        );
        assert!(time_of_day(&Data::Float(1.2)).is_err());
        assert_eq!(duration(&Data::Float(0.001_655_092_592_592_592_6)), Ok(143));
        assert_eq!(duration(&Data::String("0:02:23".into())), Ok(143));
        assert!(duration(&Data::Float(0.5 / SECS_PER_DAY)).is_err());
    }

    #[test]
    fn topics_become_upper_case_codes_with_underscores() {
        let code = |s: &str| topic_code(s).map(|t| t.as_str().to_string());
        assert_eq!(code("Contract related"), Ok("CONTRACT_RELATED".into()));
        assert_eq!(code("Streaming"), Ok("STREAMING".into()));
    }
}

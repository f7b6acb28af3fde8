//! Field parsers and writers. Each parser takes a trimmed, non-empty value and returns the
//! reason a person understands when it is wrong.

use std::fmt::Write as _;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use jixiao_core::CoreError;
use jixiao_core::org::{AgentRef, EmployeeNo, TypeCode};
use jixiao_core::record::{
    Channel, Outcome, QaItem, check_amount, check_qa_score, check_quantity, check_survey_score,
};
use rust_decimal::Decimal;

const DATE_HINT: &str = "expected a date like 2026-10-31";
const DATETIME_HINT: &str = "expected a date and time like 2026-10-31 14:05:09";

fn reason(e: CoreError) -> String {
    match e {
        CoreError::Invalid { reason, .. } => reason,
        other => other.to_string(),
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

fn ymd(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])?;
    NaiveDate::from_ymd_opt(y as i32, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// `YYYY-MM-DD`.
pub fn date(s: &str) -> Result<NaiveDate, String> {
    ymd(s.as_bytes()).ok_or_else(|| DATE_HINT.to_string())
}

/// `YYYY-MM-DD HH:MM:SS`, with a space or `T` between date and time.
pub fn datetime(s: &str) -> Result<NaiveDateTime, String> {
    let b = s.as_bytes();
    let parsed = (|| {
        if b.len() != 19 || !(b[10] == b' ' || b[10] == b'T') || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let (h, m, sec) = (
            digits(&b[11..13])?,
            digits(&b[14..16])?,
            digits(&b[17..19])?,
        );
        ymd(&b[..10])?.and_hms_opt(h, m, sec)
    })();
    parsed.ok_or_else(|| DATETIME_HINT.to_string())
}

/// Whole seconds, or a duration `H:MM:SS` / `M:SS`.
pub fn secs(s: &str) -> Result<u32, String> {
    let bad = || "expected whole seconds like 95, or a duration like 0:01:35".to_string();
    if s.starts_with('-') && s.len() > 1 {
        return Err("must not be negative".into());
    }
    let total: u64 = if s.contains(':') {
        let parts: Vec<&str> = s.split(':').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(bad());
        }
        let mut total = 0u64;
        for (i, p) in parts.iter().enumerate() {
            let v = digits(p.as_bytes()).ok_or_else(bad)?;
            // Minutes and seconds after the first part are two digits below 60.
            if i > 0 && (p.len() != 2 || v >= 60) {
                return Err(bad());
            }
            total = total * 60 + u64::from(v);
        }
        total
    } else {
        if s.len() > 10 {
            return Err(bad());
        }
        u64::from(digits(s.as_bytes()).ok_or_else(bad)?)
    };
    u32::try_from(total).map_err(|_| "is too large".to_string())
}

/// `answered`, `transferred`, `abandoned` or `callback`, any case.
pub fn outcome(s: &str) -> Result<Outcome, String> {
    // The common spellings without the allocation of `Outcome::parse`.
    for o in [
        Outcome::Answered,
        Outcome::Transferred,
        Outcome::Abandoned,
        Outcome::Callback,
    ] {
        if s.eq_ignore_ascii_case(o.as_str()) {
            return Ok(o);
        }
    }
    Outcome::parse(s).map_err(reason)
}

/// An employee number.
pub fn employee_no(s: &str) -> Result<EmployeeNo, String> {
    EmployeeNo::parse(s).map_err(reason)
}

/// The agent a record is about, as the source names them: an employee number or an alias of
/// the source (any short text); the store resolves it, and holds the record if it knows neither.
pub fn agent(s: &str) -> Result<AgentRef, String> {
    AgentRef::parse(s).map_err(reason)
}

/// A business type code.
pub fn type_code(s: &str) -> Result<TypeCode, String> {
    TypeCode::parse(s).map_err(reason)
}

/// A survey score, a whole number 1–5.
pub fn survey_score(s: &str) -> Result<u8, String> {
    let n: i64 = s
        .parse()
        .map_err(|_| "expected a whole number from 1 to 5".to_string())?;
    check_survey_score(n).map_err(reason)
}

/// A QA score, a decimal 0–100.
pub fn qa_score(s: &str) -> Result<Decimal, String> {
    let d = Decimal::from_str(s).map_err(|_| "expected a number like 87.5".to_string())?;
    check_qa_score(d).map_err(reason)
}

/// QA item scores, `name=score;name=score…` ([`QaItem::parse_list`]).
pub fn qa_items(s: &str) -> Result<Vec<QaItem>, String> {
    QaItem::parse_list(s).map_err(reason)
}

/// `true/false`, `1/0`, `yes/no`, `y/n` or `是/否`.
pub fn boolean(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "是" => Ok(true),
        "false" | "0" | "no" | "n" | "否" => Ok(false),
        _ => Err("expected true or false (also 1/0, yes/no, 是/否)".into()),
    }
}

/// Appends `YYYY-MM-DD` to `buf`.
pub fn write_date(buf: &mut String, d: NaiveDate) {
    let _ = write!(buf, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
}

/// Appends `YYYY-MM-DD HH:MM:SS` to `buf` (sub-second parts are not part of the format).
pub fn write_datetime(buf: &mut String, t: NaiveDateTime) {
    write_date(buf, t.date());
    let _ = write!(buf, " {:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
}

/// `voice`, `chat` or `email`, any case.
pub fn channel(s: &str) -> Result<Channel, String> {
    Channel::parse(s).map_err(reason)
}

/// A whole number ≥ 0 (a count, or minutes).
pub fn count(s: &str) -> Result<u32, String> {
    if s.starts_with('-') && s.len() > 1 {
        return Err("must not be negative".into());
    }
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected a whole number like 3".into());
    }
    s.parse::<u32>().map_err(|_| "is too large".to_string())
}

/// A money amount in yuan: ≥ 0, at most 2 decimal places (`199.90`).
pub fn money(s: &str) -> Result<Decimal, String> {
    let d = Decimal::from_str(s).map_err(|_| "expected an amount like 199.90".to_string())?;
    check_amount("amount", d).map_err(reason)
}

/// A work quantity: ≥ 0, at most 2 decimal places.
pub fn quantity(s: &str) -> Result<Decimal, String> {
    let d = Decimal::from_str(s).map_err(|_| "expected a number like 12 or 2.5".to_string())?;
    check_quantity(d).map_err(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_accepted_as_seconds_or_clock_time() {
        assert_eq!(secs("95"), Ok(95));
        assert_eq!(secs("0:01:35"), Ok(95));
        assert_eq!(secs("1:35"), Ok(95));
        assert_eq!(secs("1:00:00"), Ok(3600));
        assert_eq!(secs("-5"), Err("must not be negative".into()));
        for bad in ["1.5", "1:5", "1:60", "a", "1:2:3:4", "99999999999"] {
            assert!(secs(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_and_times_need_the_iso_shape() {
        assert!(datetime("2026-10-31 14:05:09").is_ok());
        assert!(datetime("2026-10-31T14:05:09").is_ok());
        for bad in [
            "2026-10-31",
            "2026-13-01 00:00:00",
            "2026-10-31 24:00:00",
            "31/10/2026",
        ] {
            assert_eq!(datetime(bad), Err(DATETIME_HINT.into()), "{bad}");
        }
        assert_eq!(date("2026-02-30"), Err(DATE_HINT.into()));
    }

    #[test]
    fn booleans_accept_english_digits_and_chinese() {
        for t in ["true", "TRUE", "1", "yes", "是"] {
            assert_eq!(boolean(t), Ok(true), "{t}");
        }
        for f in ["false", "0", "No", "否"] {
            assert_eq!(boolean(f), Ok(false), "{f}");
        }
        assert!(boolean("maybe").is_err());
    }
}

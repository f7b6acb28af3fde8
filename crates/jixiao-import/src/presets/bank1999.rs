//! The "Anonymous Bank" call-center files (Technion, Israel, 1999): one tab-separated file
//! per month, one row per call that left the voice response unit (VRU) asking for an agent.
//! The mapping and what the data lacks are in `docs/IMPORT.md`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use jixiao_core::org::AgentRef;
use jixiao_core::record::{CallRecord, Channel, Outcome};

use crate::canonical::fields;
use crate::canonical::{Delimiter, Encoding, FileError, Parsed, ReadOptions, Row, read_rows};

/// The columns this preset reads (the files have six more, which it ignores).
pub const COLUMNS: [&str; 11] = [
    "vru+line",
    "call_id",
    "customer_id",
    "type",
    "date",
    "vru_entry",
    "q_start",
    "q_time",
    "outcome",
    "ser_time",
    "server",
];

// Indices into COLUMNS.
const VRU_LINE: usize = 0;
const CALL_ID: usize = 1;
const CUSTOMER_ID: usize = 2;
const TYPE: usize = 3;
const DATE: usize = 4;
const VRU_ENTRY: usize = 5;
const Q_START: usize = 6;
const Q_TIME: usize = 7;
const OUTCOME: usize = 8;
const SER_TIME: usize = 9;
const SERVER: usize = 10;

/// The server column's value for "nobody served this call".
const NO_SERVER: &str = "NO_SERVER";

/// Parses one month's file; `source` becomes every record's source (for example `bank1999`).
pub fn parse(bytes: &[u8], source: &str) -> Result<Parsed<CallRecord>, FileError> {
    let options = ReadOptions {
        encoding: Encoding::Utf8,
        delimiter: Delimiter::Tab,
    };
    read_rows(bytes, options, &COLUMNS, |row| call(row, source))
}

fn call(row: &mut Row<'_>, source: &str) -> Option<CallRecord> {
    let vru_line = row.parse(VRU_LINE, vru_line);
    let call_id = row.parse(CALL_ID, call_id);
    let customer_id = row.parse(CUSTOMER_ID, customer_id);
    let business_type = row.parse(TYPE, fields::type_code);
    let date = row.parse(DATE, yymmdd);
    let vru_entry = row.parse(VRU_ENTRY, clock);
    let q_start = row.parse(Q_START, clock);
    let wait_secs = row.parse(Q_TIME, seconds);
    let outcome = row.parse(OUTCOME, outcome);
    let talk_secs = row.parse(SER_TIME, seconds);
    let server = row.optional(SERVER, server).map(Option::flatten);
    match (outcome, &server) {
        (Some(Outcome::Answered), Some(None)) => {
            row.reject(
                SERVER,
                "the call was served (outcome AGENT) but no server is named",
            );
            return None;
        }
        (Some(Outcome::Abandoned), Some(Some(_))) => {
            row.reject(
                SERVER,
                "a call nobody served (outcome HANG or PHANTOM) must have NO_SERVER",
            );
            return None;
        }
        _ => {}
    }
    Some(CallRecord {
        source: source.to_string(),
        record_id: format!("{}-{}", vru_line?, call_id?),
        started_at: started_at(date?, vru_entry?, q_start?),
        employee_no: server?,
        business_type: business_type?,
        customer_id: customer_id?,
        outcome: outcome?,
        wait_secs: wait_secs?,
        talk_secs: talk_secs?,
        hold_secs: 0,
        acw_secs: 0,
        channel: Channel::Voice,
        queue: None,
        transfer_to: None,
    })
}

/// When the call was offered: when it joined the queue, or entered the VRU if it never queued.
fn started_at(date: NaiveDate, vru_entry: NaiveTime, q_start: NaiveTime) -> NaiveDateTime {
    // `0:00:00` is the files' "never queued".
    if q_start == NaiveTime::MIN {
        return NaiveDateTime::new(date, vru_entry);
    }
    let at = NaiveDateTime::new(date, q_start);
    // `date` is the day the call entered the VRU. A queue start hours *before* that entry
    // means it crossed midnight; a few seconds or minutes before is the VRU's clock skew.
    if vru_entry - q_start > TimeDelta::hours(12) {
        at + TimeDelta::days(1)
    } else {
        at
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `AA0101`: VRU `AA01`–`AA06`, line `01`–`16`.
fn vru_line(s: &str) -> Result<String, String> {
    let ok = s.len() == 6 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then(|| s.to_string())
        .ok_or_else(|| "expected a VRU line like AA0101".to_string())
}

/// Up to 5 digits, numbered per VRU line.
fn call_id(s: &str) -> Result<String, String> {
    (all_digits(s) && s.len() <= 5)
        .then(|| s.to_string())
        .ok_or_else(|| "expected a call id of up to 5 digits".to_string())
}

/// Digits, `0` meaning "not identified".
fn customer_id(s: &str) -> Result<Option<String>, String> {
    if s.contains(['E', 'e']) && s.contains('.') {
        return Err(
            "a spreadsheet turned this id into a rounded number; its digits are lost".into(),
        );
    }
    if !all_digits(s) || s.len() > 12 {
        return Err("expected up to 12 digits (0 when the caller was not identified)".into());
    }
    Ok((s != "0").then(|| s.to_string()))
}

/// `YYMMDD`; `69`–`99` are 19xx and `00`–`68` are 20xx, as POSIX reads two-digit years.
fn yymmdd(s: &str) -> Result<NaiveDate, String> {
    let bad = || "expected a date YYMMDD like 990101".to_string();
    if s.len() != 6 || !all_digits(s) {
        return Err(bad());
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().map_err(|_| bad());
    let yy = n(0..2)? as i32;
    let year = if yy >= 69 { 1900 + yy } else { 2000 + yy };
    NaiveDate::from_ymd_opt(year, n(2..4)?, n(4..6)?).ok_or_else(bad)
}

/// `H:MM:SS`, the hour without a leading zero.
fn clock(s: &str) -> Result<NaiveTime, String> {
    let bad = || "expected a time H:MM:SS like 7:05:09".to_string();
    let mut parts = s.split(':');
    let (Some(h), Some(m), Some(sec), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if !(1..=2).contains(&h.len()) || m.len() != 2 || sec.len() != 2 {
        return Err(bad());
    }
    if ![h, m, sec].iter().all(|p| all_digits(p)) {
        return Err(bad());
    }
    let n = |p: &str| p.parse::<u32>().map_err(|_| bad());
    NaiveTime::from_hms_opt(n(h)?, n(m)?, n(sec)?).ok_or_else(bad)
}

/// Whole seconds.
fn seconds(s: &str) -> Result<u32, String> {
    if s.starts_with('-') {
        return Err("must not be negative".into());
    }
    if !all_digits(s) {
        return Err("expected whole seconds like 95".into());
    }
    s.parse().map_err(|_| "is too large".to_string())
}

/// AGENT was served; HANG hung up in the queue; PHANTOM is a virtual call nobody answered.
fn outcome(s: &str) -> Result<Outcome, String> {
    match s {
        "AGENT" => Ok(Outcome::Answered),
        "HANG" | "PHANTOM" => Ok(Outcome::Abandoned),
        _ => Err("expected AGENT, HANG or PHANTOM".into()),
    }
}

/// An agent's name as an employee number, `None` for NO_SERVER.
fn server(s: &str) -> Result<Option<AgentRef>, String> {
    if s == NO_SERVER {
        return Ok(None);
    }
    fields::employee_no(s).map(|no| Some(no.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_dates_and_ids_have_the_files_shapes() {
        assert_eq!(
            clock("7:05:09"),
            Ok(NaiveTime::from_hms_opt(7, 5, 9).unwrap())
        );
        assert_eq!(
            clock("23:59:59").map(|t| t.to_string()),
            Ok("23:59:59".into())
        );
        for bad in [
            "7:5:09",
            "24:00:00",
            "007:05:09",
            "7:05",
            "a:05:09",
            "0       NW",
        ] {
            assert!(clock(bad).is_err(), "{bad}");
        }
        assert_eq!(
            yymmdd("990101"),
            Ok(NaiveDate::from_ymd_opt(1999, 1, 1).unwrap())
        );
        assert_eq!(
            yymmdd("000229"),
            Ok(NaiveDate::from_ymd_opt(2000, 2, 29).unwrap())
        );
        assert!(yymmdd("990230").is_err());
        assert_eq!(customer_id("0"), Ok(None));
        assert_eq!(customer_id("9664491"), Ok(Some("9664491".into())));
        assert!(customer_id("6.02E+11").unwrap_err().contains("rounded"));
        assert_eq!(server("NO_SERVER"), Ok(None));
        assert!(server("MICHAL").unwrap().is_some());
        assert!(outcome("agent").is_err());
    }

    #[test]
    fn a_queue_start_after_midnight_counts_on_the_next_day_but_clock_skew_does_not() {
        let t = |s: &str| clock(s).unwrap();
        let day = yymmdd("990210").unwrap();
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        // February line 15757.
        assert_eq!(
            started_at(day, t("23:59:56"), t("0:00:02")),
            at("1999-02-11 00:00:02")
        );
        // January line 3 of the skewed kind: the queue starts 37 s before the VRU entry.
        assert_eq!(
            started_at(day, t("15:46:01"), t("15:45:24")),
            at("1999-02-10 15:45:24")
        );
        assert_eq!(
            started_at(day, t("0:34:12"), t("0:00:00")),
            at("1999-02-10 00:34:12")
        );
    }
}

//! FreeSWITCH call detail records (`cdr-csv/Master.csv`, the default template): one
//! comma-separated row per call leg, no header line. The mapping and what the data lacks are
//! in `docs/IMPORT.md`.

use chrono::{NaiveDate, NaiveDateTime};
use jixiao_core::org::{AgentRef, TypeCode};
use jixiao_core::record::{CallRecord, Channel, Outcome};

use crate::canonical::fields;
use crate::canonical::{Delimiter, Encoding, FileError, Parsed, ReadOptions, Row, read_headerless};

/// The fields this preset reads, named as the default template names them.
pub const COLUMNS: [&str; 8] = [
    "caller_id_number",
    "destination_number",
    "start_stamp",
    "answer_stamp",
    "duration",
    "billsec",
    "hangup_cause",
    "uuid",
];

// Indices into COLUMNS.
const CALLER: usize = 0;
const DESTINATION: usize = 1;
const START: usize = 2;
const ANSWER: usize = 3;
const DURATION: usize = 4;
const BILLSEC: usize = 5;
const HANGUP_CAUSE: usize = 6;
const UUID: usize = 7;

/// Where each of [`COLUMNS`] is in the default template: caller_id_name, caller_id_number,
/// destination_number, context, start_stamp, answer_stamp, end_stamp, duration, billsec,
/// hangup_cause, uuid, bleg_uuid, accountcode, read_codec, write_codec.
const POSITIONS: [usize; 8] = [1, 2, 4, 5, 7, 8, 9, 10];
const FIELDS: usize = 15;

/// Parses a `Master.csv` in the default template; `source` becomes every record's source and
/// `business_type` every record's business type (CDRs carry none).
pub fn parse(
    bytes: &[u8],
    source: &str,
    business_type: &TypeCode,
) -> Result<Parsed<CallRecord>, FileError> {
    let options = ReadOptions {
        // Only the caller-id name is free text; a non-UTF-8 byte there must not sink the file.
        encoding: Encoding::Auto,
        delimiter: Delimiter::Comma,
    };
    read_headerless(bytes, options, &COLUMNS, &POSITIONS, FIELDS, |row| {
        call(row, source, business_type)
    })
}

fn call(row: &mut Row<'_>, source: &str, business_type: &TypeCode) -> Option<CallRecord> {
    let record_id = row.string(UUID);
    let caller = row.text(CALLER);
    let customer_id = (!caller.is_empty()).then(|| caller.to_string());
    let started_at = row.parse(START, stamp);
    let answered = row.optional(ANSWER, stamp).map(|a| a.is_some());
    let duration = row.parse(DURATION, fields::secs);
    let talk_secs = row.parse(BILLSEC, fields::secs);
    let _cause = row.parse(HANGUP_CAUSE, hangup_cause);
    let (answered, duration, talk) = (answered?, duration?, talk_secs?);
    let (outcome, employee_no) = if answered {
        let agent = row.parse(DESTINATION, extension)?;
        (Outcome::Answered, Some(agent))
    } else {
        (Outcome::Abandoned, None)
    };
    // duration − billsec is answer − start as FreeSWITCH measured it, to the second even
    // where the stamps were cut to minutes.
    let Some(wait_secs) = duration.checked_sub(talk) else {
        row.reject(BILLSEC, "billsec is longer than duration");
        return None;
    };
    Some(CallRecord {
        source: source.to_string(),
        record_id: record_id?,
        started_at: started_at?,
        employee_no,
        business_type: business_type.clone(),
        customer_id,
        outcome,
        wait_secs,
        talk_secs: talk,
        hold_secs: 0,
        acw_secs: 0,
        channel: Channel::Voice,
        queue: None,
        transfer_to: None,
    })
}

/// `YYYY-MM-DD HH:MM:SS` as FreeSWITCH writes it, or `YYYY/M/D H:MM[:SS]` as a spreadsheet
/// re-saves it (the seconds then are lost and read as `:00`).
fn stamp(s: &str) -> Result<NaiveDateTime, String> {
    if let Ok(t) = fields::datetime(s) {
        return Ok(t);
    }
    let bad = || "expected a time like 2020-02-10 22:41:05 (or 2020/2/10 22:41)".to_string();
    let (date, time) = s.split_once(' ').ok_or_else(bad)?;
    let num = |p: &str, len: std::ops::RangeInclusive<usize>| {
        let ok = len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| p.parse::<u32>().ok()).flatten().ok_or_else(bad)
    };
    let d: Vec<&str> = date.split('/').collect();
    let t: Vec<&str> = time.split(':').collect();
    let [y, mo, day] = d[..] else {
        return Err(bad());
    };
    if !(2..=3).contains(&t.len()) {
        return Err(bad());
    }
    let date = NaiveDate::from_ymd_opt(num(y, 4..=4)? as i32, num(mo, 1..=2)?, num(day, 1..=2)?)
        .ok_or_else(bad)?;
    let sec = t.get(2).map_or(Ok(0), |p| num(p, 2..=2))?;
    date.and_hms_opt(num(t[0], 1..=2)?, num(t[1], 2..=2)?, sec)
        .ok_or_else(bad)
}

/// A hangup cause such as `NORMAL_CLEARING`; read to check the row, not mapped.
fn hangup_cause(s: &str) -> Result<(), String> {
    let ok = s.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
    ok.then_some(())
        .ok_or_else(|| "expected a hangup cause like NORMAL_CLEARING".into())
}

/// The dialled extension as the answering agent.
fn extension(s: &str) -> Result<AgentRef, String> {
    if s == "&" {
        // `originate <endpoint> &app()` leaves `&` here: the row does not say which phone
        // took the call.
        return Err("an originated call (`&`) does not name the answering extension".into());
    }
    fields::employee_no(s).map(AgentRef::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_and_spreadsheet_stamps_are_both_read() {
        let at = |s: &str| stamp(s).map(|t| t.to_string());
        assert_eq!(at("2020-02-10 22:41:05"), Ok("2020-02-10 22:41:05".into()));
        assert_eq!(at("2020/2/10 22:41"), Ok("2020-02-10 22:41:00".into()));
        assert_eq!(at("2020/12/31 9:05:07"), Ok("2020-12-31 09:05:07".into()));
        for bad in [
            "2020/2/30 22:41",
            "10/2/2020 22:41",
            "2020/2/10",
            "2020/2/10 22:4",
        ] {
            assert!(stamp(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_originated_call_names_no_agent() {
        assert!(extension("&").unwrap_err().contains("originated"));
        assert_eq!(
            extension("1004").map(|e| e.as_str().to_string()),
            Ok("1004".into())
        );
    }
}

//! Asterisk PBX call detail records (`cdr-csv/Master.csv`): one comma-separated row per call
//! leg, no header line. The mapping and what the data lacks are in `docs/IMPORT.md`.

use chrono::NaiveDateTime;
use jixiao_core::org::{AgentRef, TypeCode};
use jixiao_core::record::{CallRecord, Channel, Outcome};

use crate::canonical::fields;
use crate::canonical::{Delimiter, Encoding, FileError, Parsed, ReadOptions, Row, read_headerless};

/// The fields this preset reads, named as Asterisk names them (the rows have more).
pub const COLUMNS: [&str; 8] = [
    "src",
    "dstchannel",
    "start",
    "answer",
    "duration",
    "billsec",
    "disposition",
    "uniqueid",
];

// Indices into COLUMNS.
const SRC: usize = 0;
const DSTCHANNEL: usize = 1;
const START: usize = 2;
const ANSWER: usize = 3;
const DURATION: usize = 4;
const BILLSEC: usize = 5;
const DISPOSITION: usize = 6;
const UNIQUEID: usize = 7;

/// The field order of a `Master.csv`; Asterisk writes no header, so the caller says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// cdr_csv's default: accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp,
    /// lastdata, start, answer, end, duration, billsec, disposition, amaflags, uniqueid,
    /// userfield (18 fields).
    CdrCsv,
    /// clid first and accountcode after amaflags, plus sequence (19 fields): clid, src, dst,
    /// dcontext, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec,
    /// disposition, amaflags, accountcode, uniqueid, userfield, sequence.
    ClidFirst,
}

impl Order {
    /// The order of a `Master.csv` told by its first row's field count: 19 fields is
    /// [`Order::ClidFirst`], anything else [`Order::CdrCsv`] (whose rows then report their own
    /// field counts if they are not 18). Asterisk's two layouts differ in width, so a file
    /// says which it is; a blank or unreadable first row reads as the default.
    pub fn detect(bytes: &[u8]) -> Order {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut first = csv::ByteRecord::new();
        match reader.read_byte_record(&mut first) {
            Ok(true) if first.len() == Order::ClidFirst.positions().1 => Order::ClidFirst,
            _ => Order::CdrCsv,
        }
    }

    /// The 0-based field of each of [`COLUMNS`], and the number of fields in a row.
    fn positions(self) -> (&'static [usize], usize) {
        match self {
            Order::CdrCsv => (&[1, 6, 9, 10, 12, 13, 14, 16], 18),
            Order::ClidFirst => (&[1, 5, 8, 9, 11, 12, 13, 16], 19),
        }
    }
}

/// Parses a `Master.csv` laid out as `order`; `source` becomes every record's source and
/// `business_type` every record's business type (CDRs carry none).
pub fn parse(
    bytes: &[u8],
    order: Order,
    source: &str,
    business_type: &TypeCode,
) -> Result<Parsed<CallRecord>, FileError> {
    let options = ReadOptions {
        // Only the caller-id name is free text; a non-UTF-8 byte there must not sink the file.
        encoding: Encoding::Auto,
        delimiter: Delimiter::Comma,
    };
    let (positions, width) = order.positions();
    read_headerless(bytes, options, &COLUMNS, positions, width, |row| {
        call(row, source, business_type)
    })
}

fn call(row: &mut Row<'_>, source: &str, business_type: &TypeCode) -> Option<CallRecord> {
    let record_id = row.string(UNIQUEID);
    let src = row.text(SRC);
    let customer_id = (!src.is_empty()).then(|| src.to_string());
    let start = row.parse(START, fields::datetime);
    let answer = row.optional(ANSWER, fields::datetime);
    let duration = row.parse(DURATION, fields::secs);
    let talk_secs = row.parse(BILLSEC, fields::secs);
    let outcome = row.parse(DISPOSITION, disposition);
    let agent = row.optional(DSTCHANNEL, extension);
    let (start, answer, duration, outcome, agent) = (start?, answer?, duration?, outcome?, agent?);
    let (employee_no, wait_secs) = if outcome == Outcome::Answered {
        let Some(agent) = agent else {
            row.reject(
                DSTCHANNEL,
                "an ANSWERED call must name the channel that answered",
            );
            return None;
        };
        let Some(answer) = answer else {
            row.reject(ANSWER, "an ANSWERED call must have an answer time");
            return None;
        };
        let Some(wait) = wait(start, answer) else {
            row.reject(ANSWER, "the answer time is before the start time");
            return None;
        };
        (Some(agent), wait)
    } else {
        // Nobody answered: the caller waited for the whole leg, and no agent is charged.
        (None, duration)
    };
    Some(CallRecord {
        source: source.to_string(),
        record_id: record_id?,
        started_at: start,
        employee_no,
        business_type: business_type.clone(),
        customer_id,
        outcome,
        wait_secs,
        talk_secs: talk_secs?,
        hold_secs: 0,
        acw_secs: 0,
        channel: Channel::Voice,
        queue: None,
        transfer_to: None,
    })
}

/// Whole seconds from `start` to `answer`, `None` if the answer is earlier.
fn wait(start: NaiveDateTime, answer: NaiveDateTime) -> Option<u32> {
    u32::try_from((answer - start).num_seconds()).ok()
}

/// ANSWERED is answered; NO ANSWER, BUSY, FAILED and CONGESTION reached nobody.
fn disposition(s: &str) -> Result<Outcome, String> {
    match s {
        "ANSWERED" => Ok(Outcome::Answered),
        "NO ANSWER" | "BUSY" | "FAILED" | "CONGESTION" => Ok(Outcome::Abandoned),
        _ => Err("expected ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION".into()),
    }
}

/// The endpoint of a channel name as an employee number: `PJSIP/1001-0000000a` → `1001`.
///
/// Asterisk names a channel `TECH/endpoint-suffix`, the suffix a hex (SIP, PJSIP) or decimal
/// (IAX2) counter; the endpoint is the answering phone's name.
fn extension(s: &str) -> Result<AgentRef, String> {
    let bad = || format!("expected a channel like PJSIP/1001-0000000a, not {s:?}");
    let (_, rest) = s.split_once('/').ok_or_else(bad)?;
    let (endpoint, suffix) = rest.rsplit_once('-').ok_or_else(bad)?;
    if suffix.is_empty() || !suffix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    fields::employee_no(endpoint)
        .map(AgentRef::from)
        .map_err(|e| format!("the endpoint {endpoint:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agent_is_the_endpoint_of_the_answering_channel() {
        let ext = |s: &str| extension(s).map(|e| e.as_str().to_string());
        assert_eq!(ext("SIP/1001-0000abcd"), Ok("1001".into()));
        assert_eq!(ext("PJSIP/client2-00000003"), Ok("client2".into()));
        assert_eq!(ext("IAX2/desk-7-12"), Ok("desk-7".into()));
        for bad in [
            "1001",
            "SIP/1001",
            "SIP/1001-",
            "Local/1001@from-internal-0000;1",
        ] {
            assert!(extension(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dispositions_other_than_answered_are_abandoned() {
        assert_eq!(disposition("ANSWERED"), Ok(Outcome::Answered));
        for d in ["NO ANSWER", "BUSY", "FAILED", "CONGESTION"] {
            assert_eq!(disposition(d), Ok(Outcome::Abandoned), "{d}");
        }
        assert!(disposition("answered").is_err());
    }
}

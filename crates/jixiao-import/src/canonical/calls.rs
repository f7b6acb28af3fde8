//! The calls format.

use std::fmt::Write as _;
use std::io::Write;

use jixiao_core::record::CallRecord;

use super::fields;
use super::table::{self, Kind, Row};
use super::{FileError, Parsed, ReadOptions};

/// The columns of a calls file, in the order Jixiao writes them; the last three are optional.
pub const CALL_COLUMNS: [&str; 14] = [
    "source",
    "record_id",
    "started_at",
    "employee_no",
    "business_type",
    "customer_id",
    "outcome",
    "wait_secs",
    "talk_secs",
    "hold_secs",
    "acw_secs",
    "channel",
    "queue",
    "transfer_to",
];

/// The columns a calls file may lack: files written before channels existed still import.
pub const CALL_OPTIONAL_COLUMNS: [&str; 3] = ["channel", "queue", "transfer_to"];

impl Kind for CallRecord {
    const COLUMNS: &'static [&'static str] = &CALL_COLUMNS;
    const OPTIONAL: &'static [&'static str] = &CALL_OPTIONAL_COLUMNS;

    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }

    fn parse(row: &mut Row<'_>) -> Option<Self> {
        let source = row.string(0);
        let record_id = row.string(1);
        let started_at = row.parse(2, fields::datetime);
        let employee_no = row.optional(3, fields::agent);
        let business_type = row.parse(4, fields::type_code);
        let customer_id = row.text(5);
        let customer_id = (!customer_id.is_empty()).then(|| customer_id.to_string());
        let outcome = row.parse(6, fields::outcome);
        let wait_secs = row.parse(7, fields::secs);
        let talk_secs = row.parse(8, fields::secs);
        let hold_secs = row.parse(9, fields::secs);
        let acw_secs = row.parse(10, fields::secs);
        let channel = row.optional(11, fields::channel);
        let queue = row.opt_string(12);
        let transfer_to = row.opt_string(13);
        // Only an interaction no agent served may lack an agent.
        if let (Some(None), Some(o)) = (&employee_no, outcome)
            && o.is_handled()
        {
            row.reject(3, "required unless the outcome is abandoned or callback");
            return None;
        }
        Some(CallRecord {
            source: source?,
            record_id: record_id?,
            started_at: started_at?,
            employee_no: employee_no?,
            business_type: business_type?,
            customer_id,
            outcome: outcome?,
            wait_secs: wait_secs?,
            talk_secs: talk_secs?,
            hold_secs: hold_secs?,
            acw_secs: acw_secs?,
            channel: channel?.unwrap_or_default(),
            queue,
            transfer_to,
        })
    }
}

/// Parses a calls file, detecting its encoding and delimiter.
pub fn parse_calls(bytes: &[u8]) -> Result<Parsed<CallRecord>, FileError> {
    parse_calls_with(bytes, ReadOptions::default())
}

/// Parses a calls file read as `options` say.
pub fn parse_calls_with(
    bytes: &[u8],
    options: ReadOptions,
) -> Result<Parsed<CallRecord>, FileError> {
    table::read(bytes, options)
}

/// Writes calls in the canonical format, header first; parsing the output gives them back.
pub fn write_calls(records: &[CallRecord], w: impl Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(CALL_COLUMNS)?;
    let mut buf = String::with_capacity(32);
    for r in records {
        out.write_field(&r.source)?;
        out.write_field(&r.record_id)?;
        buf.clear();
        fields::write_datetime(&mut buf, r.started_at);
        out.write_field(&buf)?;
        out.write_field(r.employee_no.as_ref().map_or("", |e| e.as_str()))?;
        out.write_field(r.business_type.as_str())?;
        out.write_field(r.customer_id.as_deref().unwrap_or(""))?;
        out.write_field(r.outcome.as_str())?;
        for v in [r.wait_secs, r.talk_secs, r.hold_secs, r.acw_secs] {
            buf.clear();
            let _ = write!(buf, "{v}");
            out.write_field(&buf)?;
        }
        out.write_field(r.channel.as_str())?;
        out.write_field(r.queue.as_deref().unwrap_or(""))?;
        out.write_field(r.transfer_to.as_deref().unwrap_or(""))?;
        out.write_record(None::<&[u8]>)?;
    }
    out.flush()
}

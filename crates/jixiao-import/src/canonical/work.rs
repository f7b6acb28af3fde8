//! The work records format: one row per quantity of one type of work.

use std::io::Write;

use jixiao_core::record::WorkRecord;

use super::table::{self, Kind, Row};
use super::{FileError, Parsed, ReadOptions, cells, fields};

/// The columns of a work records file, in the order Jixiao writes them.
pub const WORK_COLUMNS: [&str; 7] = [
    "source",
    "record_id",
    "date",
    "employee_no",
    "work_type",
    "quantity",
    "note",
];

impl Kind for WorkRecord {
    const COLUMNS: &'static [&'static str] = &WORK_COLUMNS;

    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }

    fn parse(row: &mut Row<'_>) -> Option<Self> {
        let source = row.string(0);
        let record_id = row.string(1);
        let date = row.parse(2, fields::date);
        let employee_no = row.parse(3, fields::agent);
        let work_type = row.parse(4, fields::type_code);
        let quantity = row.parse(5, fields::quantity);
        let note = row.opt_string(6);
        Some(WorkRecord {
            source: source?,
            record_id: record_id?,
            date: date?,
            employee_no: employee_no?,
            work_type: work_type?,
            quantity: quantity?,
            note,
        })
    }
}

/// Parses a work records file, detecting its encoding and delimiter.
pub fn parse_work(bytes: &[u8]) -> Result<Parsed<WorkRecord>, FileError> {
    parse_work_with(bytes, ReadOptions::default())
}

/// Parses a work records file read as `options` say.
pub fn parse_work_with(
    bytes: &[u8],
    options: ReadOptions,
) -> Result<Parsed<WorkRecord>, FileError> {
    table::read(bytes, options)
}

/// Writes work records in the canonical format, header first; parsing the output gives them
/// back.
pub fn write_work(records: &[WorkRecord], w: impl Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(WORK_COLUMNS)?;
    for r in records {
        out.write_record([
            r.source.clone(),
            r.record_id.clone(),
            cells::date(r.date),
            r.employee_no.to_string(),
            r.work_type.to_string(),
            r.quantity.to_string(),
            cells::opt(r.note.as_ref()),
        ])?;
    }
    out.flush()
}

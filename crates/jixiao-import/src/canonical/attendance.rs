//! The attendance format: one row per shift (or day) of one employee.

use std::io::Write;

use jixiao_core::record::AttendanceRecord;

use super::table::{self, Kind, Row};
use super::{FileError, Parsed, ReadOptions, cells, fields};

/// The columns of an attendance file, in the order Jixiao writes them.
pub const ATTENDANCE_COLUMNS: [&str; 8] = [
    "source",
    "record_id",
    "date",
    "employee_no",
    "scheduled_mins",
    "worked_mins",
    "absent_mins",
    "late_mins",
];

impl Kind for AttendanceRecord {
    const COLUMNS: &'static [&'static str] = &ATTENDANCE_COLUMNS;

    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }

    fn parse(row: &mut Row<'_>) -> Option<Self> {
        let source = row.string(0);
        let record_id = row.string(1);
        let date = row.parse(2, fields::date);
        let employee_no = row.parse(3, fields::agent);
        let scheduled_mins = row.parse(4, fields::count);
        let worked_mins = row.parse(5, fields::count);
        let absent_mins = row.parse(6, fields::count);
        let late_mins = row.parse(7, fields::count);
        let shift = AttendanceRecord {
            source: source?,
            record_id: record_id?,
            date: date?,
            employee_no: employee_no?,
            scheduled_mins: scheduled_mins?,
            worked_mins: worked_mins?,
            absent_mins: absent_mins?,
            late_mins: late_mins?,
        };
        row.check(shift.check())?;
        Some(shift)
    }
}

/// Parses an attendance file, detecting its encoding and delimiter.
pub fn parse_attendance(bytes: &[u8]) -> Result<Parsed<AttendanceRecord>, FileError> {
    parse_attendance_with(bytes, ReadOptions::default())
}

/// Parses an attendance file read as `options` say.
pub fn parse_attendance_with(
    bytes: &[u8],
    options: ReadOptions,
) -> Result<Parsed<AttendanceRecord>, FileError> {
    table::read(bytes, options)
}

/// Writes attendance in the canonical format, header first; parsing the output gives it back.
pub fn write_attendance(records: &[AttendanceRecord], w: impl Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(ATTENDANCE_COLUMNS)?;
    for r in records {
        out.write_record([
            r.source.clone(),
            r.record_id.clone(),
            cells::date(r.date),
            r.employee_no.to_string(),
            r.scheduled_mins.to_string(),
            r.worked_mins.to_string(),
            r.absent_mins.to_string(),
            r.late_mins.to_string(),
        ])?;
    }
    out.flush()
}

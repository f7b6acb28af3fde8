//! The tickets (work orders) format: one row per ticket in its latest state.

use std::io::Write;

use jixiao_core::record::TicketRecord;

use super::table::{self, Kind, Row};
use super::{FileError, Parsed, ReadOptions, cells, fields};

/// The columns of a tickets file, in the order Jixiao writes them.
pub const TICKET_COLUMNS: [&str; 14] = [
    "source",
    "record_id",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "reopen_count",
    "reassignment_count",
    "priority",
    "category",
    "employee_no",
    "sla_met",
    "customer_id",
    "business_type",
];

impl Kind for TicketRecord {
    const COLUMNS: &'static [&'static str] = &TICKET_COLUMNS;

    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }

    fn parse(row: &mut Row<'_>) -> Option<Self> {
        let source = row.string(0);
        let record_id = row.string(1);
        let created_at = row.parse(2, fields::datetime);
        let first_response_at = row.optional(3, fields::datetime);
        let resolved_at = row.optional(4, fields::datetime);
        let closed_at = row.optional(5, fields::datetime);
        let reopen_count = row.parse(6, fields::count);
        let reassignment_count = row.parse(7, fields::count);
        let priority = row.string(8);
        let category = row.string(9);
        let employee_no = row.optional(10, fields::agent);
        let sla_met = row.optional(11, fields::boolean);
        let customer_id = row.opt_string(12);
        let business_type = row.optional(13, fields::type_code);
        let ticket = TicketRecord {
            source: source?,
            record_id: record_id?,
            created_at: created_at?,
            first_response_at: first_response_at?,
            resolved_at: resolved_at?,
            closed_at: closed_at?,
            reopen_count: reopen_count?,
            reassignment_count: reassignment_count?,
            priority: priority?,
            category: category?,
            employee_no: employee_no?,
            sla_met: sla_met?,
            customer_id,
            business_type: business_type?,
        };
        row.check(ticket.check())?;
        Some(ticket)
    }
}

/// Parses a tickets file, detecting its encoding and delimiter.
pub fn parse_tickets(bytes: &[u8]) -> Result<Parsed<TicketRecord>, FileError> {
    parse_tickets_with(bytes, ReadOptions::default())
}

/// Parses a tickets file read as `options` say.
pub fn parse_tickets_with(
    bytes: &[u8],
    options: ReadOptions,
) -> Result<Parsed<TicketRecord>, FileError> {
    table::read(bytes, options)
}

/// Writes tickets in the canonical format, header first; parsing the output gives them back.
pub fn write_tickets(records: &[TicketRecord], w: impl Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(TICKET_COLUMNS)?;
    for r in records {
        out.write_record([
            r.source.clone(),
            r.record_id.clone(),
            cells::datetime(r.created_at),
            cells::opt_datetime(r.first_response_at),
            cells::opt_datetime(r.resolved_at),
            cells::opt_datetime(r.closed_at),
            r.reopen_count.to_string(),
            r.reassignment_count.to_string(),
            r.priority.clone(),
            r.category.clone(),
            cells::opt(r.employee_no.as_ref()),
            cells::opt_flag(r.sla_met),
            cells::opt(r.customer_id.as_ref()),
            cells::opt(r.business_type.as_ref()),
        ])?;
    }
    out.flush()
}

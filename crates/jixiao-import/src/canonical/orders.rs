//! The orders format: one row per order, with the agent it is credited to.

use std::io::Write;

use jixiao_core::record::OrderRecord;

use super::table::{self, Kind, Row};
use super::{FileError, Parsed, ReadOptions, cells, fields};

/// The columns of an orders file, in the order Jixiao writes them.
pub const ORDER_COLUMNS: [&str; 9] = [
    "source",
    "record_id",
    "placed_at",
    "paid_at",
    "amount",
    "refunded_amount",
    "customer_id",
    "employee_no",
    "session_record_id",
];

impl Kind for OrderRecord {
    const COLUMNS: &'static [&'static str] = &ORDER_COLUMNS;

    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }

    fn parse(row: &mut Row<'_>) -> Option<Self> {
        let source = row.string(0);
        let record_id = row.string(1);
        let placed_at = row.parse(2, fields::datetime);
        let paid_at = row.optional(3, fields::datetime);
        let amount = row.parse(4, fields::money);
        // An empty refund means none: most orders are never refunded.
        let refunded_amount = row.optional(5, fields::money);
        let customer_id = row.string(6);
        let employee_no = row.optional(7, fields::agent);
        let session_record_id = row.opt_string(8);
        let order = OrderRecord {
            source: source?,
            record_id: record_id?,
            placed_at: placed_at?,
            paid_at: paid_at?,
            amount: amount?,
            refunded_amount: refunded_amount?.unwrap_or_default(),
            customer_id: customer_id?,
            employee_no: employee_no?,
            session_record_id,
        };
        row.check(order.check())?;
        Some(order)
    }
}

/// Parses an orders file, detecting its encoding and delimiter.
pub fn parse_orders(bytes: &[u8]) -> Result<Parsed<OrderRecord>, FileError> {
    parse_orders_with(bytes, ReadOptions::default())
}

/// Parses an orders file read as `options` say.
pub fn parse_orders_with(
    bytes: &[u8],
    options: ReadOptions,
) -> Result<Parsed<OrderRecord>, FileError> {
    table::read(bytes, options)
}

/// Writes orders in the canonical format, header first; parsing the output gives them back.
pub fn write_orders(records: &[OrderRecord], w: impl Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(ORDER_COLUMNS)?;
    for r in records {
        out.write_record([
            r.source.clone(),
            r.record_id.clone(),
            cells::datetime(r.placed_at),
            cells::opt_datetime(r.paid_at),
            r.amount.to_string(),
            r.refunded_amount.to_string(),
            r.customer_id.clone(),
            cells::opt(r.employee_no.as_ref()),
            cells::opt(r.session_record_id.as_ref()),
        ])?;
    }
    out.flush()
}

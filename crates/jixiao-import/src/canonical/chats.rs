//! The chat sessions format: one row per session an agent served.

use std::io::Write;

use jixiao_core::record::ChatRecord;

use super::table::{self, Kind, Row};
use super::{FileError, Parsed, ReadOptions, cells, fields};

/// The columns of a chat sessions file, in the order Jixiao writes them.
pub const CHAT_COLUMNS: [&str; 11] = [
    "source",
    "record_id",
    "started_at",
    "employee_no",
    "customer_id",
    "shop",
    "customer_messages",
    "agent_replies",
    "first_response_secs",
    "total_response_secs",
    "is_inquiry",
];

impl Kind for ChatRecord {
    const COLUMNS: &'static [&'static str] = &CHAT_COLUMNS;

    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }

    fn parse(row: &mut Row<'_>) -> Option<Self> {
        let source = row.string(0);
        let record_id = row.string(1);
        let started_at = row.parse(2, fields::datetime);
        let employee_no = row.parse(3, fields::agent);
        let customer_id = row.string(4);
        let shop = row.opt_string(5);
        let customer_messages = row.parse(6, fields::count);
        let agent_replies = row.parse(7, fields::count);
        let first_response_secs = row.optional(8, fields::secs);
        let total_response_secs = row.parse(9, fields::secs);
        let is_inquiry = row.parse(10, fields::boolean);
        let chat = ChatRecord {
            source: source?,
            record_id: record_id?,
            started_at: started_at?,
            employee_no: employee_no?,
            customer_id: customer_id?,
            shop,
            customer_messages: customer_messages?,
            agent_replies: agent_replies?,
            first_response_secs: first_response_secs?,
            total_response_secs: total_response_secs?,
            is_inquiry: is_inquiry?,
        };
        row.check(chat.check())?;
        Some(chat)
    }
}

/// Parses a chat sessions file, detecting its encoding and delimiter.
pub fn parse_chats(bytes: &[u8]) -> Result<Parsed<ChatRecord>, FileError> {
    parse_chats_with(bytes, ReadOptions::default())
}

/// Parses a chat sessions file read as `options` say.
pub fn parse_chats_with(
    bytes: &[u8],
    options: ReadOptions,
) -> Result<Parsed<ChatRecord>, FileError> {
    table::read(bytes, options)
}

/// Writes chat sessions in the canonical format, header first; parsing the output gives them
/// back.
pub fn write_chats(records: &[ChatRecord], w: impl Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(CHAT_COLUMNS)?;
    for r in records {
        out.write_record([
            r.source.clone(),
            r.record_id.clone(),
            cells::datetime(r.started_at),
            r.employee_no.to_string(),
            r.customer_id.clone(),
            cells::opt(r.shop.as_ref()),
            r.customer_messages.to_string(),
            r.agent_replies.to_string(),
            cells::opt(r.first_response_secs),
            r.total_response_secs.to_string(),
            cells::flag(r.is_inquiry),
        ])?;
    }
    out.flush()
}

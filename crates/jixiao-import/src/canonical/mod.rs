//! Jixiao's canonical CSV, one format per record kind. The full column tables, examples and
//! rules are in `docs/IMPORT.md`; in short:
//!
//! * UTF-8, with or without a byte-order mark, or GBK / GB18030 (what Chinese Excel saves):
//!   a byte-order mark or valid UTF-8 is read as UTF-8, anything else as GB18030
//!   ([`ReadOptions`] can force either). CRLF or LF line ends; fields may be quoted
//!   (`"a, b"`, with `""` for a quote inside).
//! * Comma- or tab-separated: the header line decides (more tabs than commas means tabs),
//!   unless [`ReadOptions`] says.
//! * A header row is required. Columns are matched by name (trimmed, case-insensitive), in any
//!   order; unknown extra columns are ignored; a missing column rejects the whole file, except
//!   the optional columns a kind added later (calls: `channel`, `queue`, `transfer_to`), which
//!   then read as empty.
//! * Values are trimmed of surrounding spaces. Every bad field of a row gives one [`Reject`]
//!   (line, column, the value as found, a reason a person understands) and the row is skipped;
//!   the good rows are still imported.
//! * A repeated (source, record_id) within one file keeps the first row and rejects the later
//!   ones, naming the line of the first.
//! * Line numbers are 1-based lines of the file, the header being line 1.
//!
//! Below, "yes" means the value must not be empty; every column must be in the header unless
//! said otherwise. Agents (`employee_no`) are an employee number or the source's own name for
//! the agent (an alias, any text up to 64 characters). Times are `YYYY-MM-DD HH:MM:SS` (or
//! with `T`) in the center's local time, dates `YYYY-MM-DD`, booleans `true/false`, `1/0`,
//! `yes/no` or `是/否`, counts and minutes whole numbers ≥ 0, amounts yuan with at most 2
//! decimal places.
//!
//! **calls** (interactions: voice, chat, e-mail) —
//! `source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs,channel,queue,transfer_to`
//!
//! | column | required | format |
//! |---|---|---|
//! | source | yes | text, the source system (`pbx`, `demo` …) |
//! | record_id | yes | text, the source system's id, unique per source |
//! | started_at | yes | `YYYY-MM-DD HH:MM:SS` (or with `T`), the center's local time |
//! | employee_no | unless abandoned or callback | the agent |
//! | business_type | yes | a business type code, same alphabet |
//! | customer_id | no | text |
//! | outcome | yes | `answered`, `transferred`, `abandoned` or `callback` (asked to be called back while queued: neither handled nor abandoned) |
//! | wait_secs, talk_secs, hold_secs, acw_secs | yes | whole seconds ≥ 0, or `H:MM:SS` / `M:SS` |
//! | channel | no, column optional | `voice` (when empty or absent), `chat` or `email` |
//! | queue, transfer_to | no, columns optional | text: the queue waited in, where a transfer went |
//!
//! **surveys** — `source,record_id,call_record_id,employee_no,answered_on,score`: `answered_on`
//! is `YYYY-MM-DD`, `score` a whole number 1–5, every column required.
//!
//! **qa** — `source,record_id,employee_no,reviewer_no,reviewed_on,score,critical_failure`:
//! `reviewed_on` is `YYYY-MM-DD`, `score` a decimal 0–100, `critical_failure` one of
//! `true/false`, `1/0`, `yes/no`, `是/否`; `reviewer_no` may be empty.
//!
//! **tickets** — `source,record_id,created_at,first_response_at,resolved_at,closed_at,reopen_count,reassignment_count,priority,category,employee_no,sla_met,customer_id,business_type`:
//! `created_at` (picks the period), `reopen_count`, `reassignment_count`, `priority` and
//! `category` (free text) are required; `first_response_at`, `resolved_at`, `closed_at` may be
//! empty and must not be before `created_at`; an empty `employee_no` is an unassigned ticket;
//! `sla_met` a boolean or empty; `business_type`, if given, a known business type.
//!
//! **chats** — `source,record_id,started_at,employee_no,customer_id,shop,customer_messages,agent_replies,first_response_secs,total_response_secs,is_inquiry`:
//! all required except `shop` and `first_response_secs`; durations in seconds or `H:MM:SS`;
//! `total_response_secs` sums the waits of every reply round (0 with no reply), and includes
//! the first.
//!
//! **orders** — `source,record_id,placed_at,paid_at,amount,refunded_amount,customer_id,employee_no,session_record_id`:
//! `placed_at` picks the period; `paid_at` empty if unpaid; `refunded_amount` empty means 0 and
//! may not exceed `amount`; `employee_no` is the agent credited (empty: nobody);
//! `session_record_id` the chat session that led to the order.
//!
//! **attendance** — `source,record_id,date,employee_no,scheduled_mins,worked_mins,absent_mins,late_mins`:
//! one row per shift (`record_id` the shift id), every column required; absence and lateness
//! may not exceed the schedule.
//!
//! **work** — `source,record_id,date,employee_no,work_type,quantity,note`: `work_type` a code
//! (same alphabet as business types), `quantity` ≥ 0 with at most 2 decimal places, `note`
//! optional.

mod attendance;
mod batch;
mod calls;
mod cells;
mod chats;
mod feedback;
pub(crate) mod fields;
mod orders;
mod source;
mod table;
mod text;
mod tickets;
mod work;

use std::io::Write;

use jixiao_core::record::Reject;
use sha2::{Digest, Sha256};

pub use attendance::{
    ATTENDANCE_COLUMNS, parse_attendance, parse_attendance_with, write_attendance,
};
pub use batch::{BatchChunks, Kind, parse_batch, parse_chunks, parse_file_chunks};
pub use calls::{CALL_COLUMNS, CALL_OPTIONAL_COLUMNS, parse_calls, parse_calls_with, write_calls};
pub use chats::{CHAT_COLUMNS, parse_chats, parse_chats_with, write_chats};
pub use feedback::{
    QA_COLUMNS, QA_OPTIONAL_COLUMNS, SURVEY_COLUMNS, parse_qa, parse_qa_with, parse_surveys,
    parse_surveys_with, write_qa, write_surveys,
};
pub use orders::{ORDER_COLUMNS, parse_orders, parse_orders_with, write_orders};
pub use source::{FileScan, scan_file};
pub use text::{Delimiter, Encoding, ReadOptions, decode_text};
pub use tickets::{TICKET_COLUMNS, parse_tickets, parse_tickets_with, write_tickets};
pub use work::{WORK_COLUMNS, parse_work, parse_work_with, write_work};

pub(crate) use table::{Kind as RowKind, Row, read_headerless, read_rows};
// The mapping profiles read through the canonical parser and reuse its text decoding.
pub(crate) use batch::renumber;
pub(crate) use text::decode;

/// The outcome of parsing one file: good records with their line, and the rejected fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    /// Accepted records with their 1-based file line (the header is line 1).
    pub records: Vec<(i64, T)>,
    /// One entry per bad field of a rejected row.
    pub rejects: Vec<Reject>,
    /// Data rows read, good and bad.
    pub rows_total: i64,
}

/// A problem with the file as a whole; nothing of it is imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// No bytes, or nothing but a byte-order mark and blank space.
    #[error("the file is empty: a header row is required")]
    Empty,
    /// UTF-8 was asked for, and some bytes are not UTF-8.
    #[error("the file is not UTF-8 text (first bad byte on line {line}); save it as \"CSV UTF-8\"")]
    NotUtf8 {
        /// The line of the first invalid byte.
        line: i64,
    },
    /// GB18030 (GBK) was asked for, and some bytes are not GB18030.
    #[error(
        "the file is not GBK/GB18030 text (first bad byte on line {line}); save it as \"CSV UTF-8\""
    )]
    NotGb18030 {
        /// The line of the first invalid byte.
        line: i64,
    },
    /// The encoding was to be detected, and the bytes are neither UTF-8 nor GB18030.
    #[error(
        "the file is neither UTF-8 nor GBK/GB18030 text (first bad byte on line {line}); save it as \"CSV UTF-8\""
    )]
    UnknownEncoding {
        /// The line of the first byte that is not GB18030.
        line: i64,
    },
    /// A required column is not in the header.
    #[error("the header has no column \"{column}\" (it has: {found})")]
    MissingColumn {
        /// The missing column.
        column: &'static str,
        /// The header as found, comma-separated.
        found: String,
    },
    /// A required column appears twice, so it is unclear which one to read.
    #[error("the column \"{column}\" appears twice in the header")]
    DuplicateColumn {
        /// The repeated column.
        column: &'static str,
    },
    /// A workbook (.xlsx) could not be opened, or has no worksheet.
    #[error("the workbook could not be read: {message}")]
    Workbook {
        /// The reader's explanation.
        message: String,
    },
    /// The CSV structure itself could not be read.
    #[error("line {line}: the CSV could not be read: {message}")]
    Malformed {
        /// Where reading stopped.
        line: i64,
        /// The reader's explanation.
        message: String,
    },
    /// The file could not be read from disk, or changed while it was read.
    #[error("the file could not be read: {message}")]
    Unreadable {
        /// What went wrong, with the path.
        message: String,
    },
}

impl FileError {
    /// The stable machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            FileError::Empty => "file_empty",
            FileError::NotUtf8 { .. } => "file_not_utf8",
            FileError::NotGb18030 { .. } => "file_not_gb18030",
            FileError::UnknownEncoding { .. } => "file_unknown_encoding",
            FileError::MissingColumn { .. } => "missing_column",
            FileError::DuplicateColumn { .. } => "duplicate_column",
            FileError::Malformed { .. } => "malformed_csv",
            FileError::Workbook { .. } => "workbook_unreadable",
            FileError::Unreadable { .. } => "file_unreadable",
        }
    }
}

/// The SHA-256 of a file's bytes, lowercase hex: the identity of an import.
pub fn file_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes a reject report as CSV: `file,row,column,value,reason`, one line per reject.
pub fn write_rejects(file: &str, rejects: &[Reject], w: impl Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["file", "row", "column", "value", "reason"])?;
    for r in rejects {
        let row = r.row.to_string();
        out.write_record([file, &row, &r.column, &r.value, &r.reason])?;
    }
    out.flush()
}

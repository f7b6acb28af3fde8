//! One entry point for "a canonical file of this kind → a batch for the store", shared by the
//! CLI import and the upload page.

use jixiao_core::record::RecordBatch;

use super::{
    ATTENDANCE_COLUMNS, CALL_OPTIONAL_COLUMNS, CHAT_COLUMNS, ORDER_COLUMNS, TICKET_COLUMNS,
    WORK_COLUMNS, parse_attendance, parse_chats, parse_orders, parse_tickets, parse_work,
};
use super::{
    CALL_COLUMNS, FileError, Parsed, QA_COLUMNS, QA_OPTIONAL_COLUMNS, SURVEY_COLUMNS, parse_calls,
    parse_qa, parse_surveys,
};
use super::{FileScan, ReadOptions, table};

/// The record kinds with a canonical CSV format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Call records.
    Calls,
    /// Satisfaction survey answers.
    Surveys,
    /// QA reviews.
    Qa,
    /// Tickets (work orders).
    Tickets,
    /// Chat sessions (e-commerce inquiries).
    Chats,
    /// Orders, with the agent each is credited to.
    Orders,
    /// Attendance per shift.
    Attendance,
    /// Work records (quantities of other work).
    Work,
}

impl Kind {
    /// The stored spelling (`calls`, `surveys`, `qa`, `tickets`, `chats`, `orders`,
    /// `attendance`, `work`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Calls => "calls",
            Kind::Surveys => "surveys",
            Kind::Qa => "qa",
            Kind::Tickets => "tickets",
            Kind::Chats => "chats",
            Kind::Orders => "orders",
            Kind::Attendance => "attendance",
            Kind::Work => "work",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::all().iter().copied().find(|k| k.as_str() == s)
    }

    /// Every kind, in the order the docs list them.
    pub fn all() -> &'static [Kind] {
        &[
            Kind::Calls,
            Kind::Surveys,
            Kind::Qa,
            Kind::Tickets,
            Kind::Chats,
            Kind::Orders,
            Kind::Attendance,
            Kind::Work,
        ]
    }

    /// The kind's canonical column names, in the order Jixiao writes them.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Calls => &CALL_COLUMNS,
            Kind::Surveys => &SURVEY_COLUMNS,
            Kind::Qa => &QA_COLUMNS,
            Kind::Tickets => &TICKET_COLUMNS,
            Kind::Chats => &CHAT_COLUMNS,
            Kind::Orders => &ORDER_COLUMNS,
            Kind::Attendance => &ATTENDANCE_COLUMNS,
            Kind::Work => &WORK_COLUMNS,
        }
    }

    /// Those of [`Kind::columns`] a file's header may lack (they read as empty).
    pub fn optional_columns(self) -> &'static [&'static str] {
        match self {
            Kind::Calls => &CALL_OPTIONAL_COLUMNS,
            Kind::Qa => &QA_OPTIONAL_COLUMNS,
            _ => &[],
        }
    }
}

/// Parses a canonical file of `kind` into a batch and the number of data rows read.
pub fn parse_batch(kind: Kind, bytes: &[u8]) -> Result<(RecordBatch, i64), FileError> {
    fn into<T>(
        p: Parsed<T>,
        put: impl FnOnce(&mut RecordBatch, Vec<(i64, T)>),
    ) -> (RecordBatch, i64) {
        let mut b = RecordBatch {
            rejects: p.rejects,
            ..RecordBatch::default()
        };
        put(&mut b, p.records);
        (b, p.rows_total)
    }
    Ok(match kind {
        Kind::Calls => into(parse_calls(bytes)?, |b, r| b.calls = r),
        Kind::Surveys => into(parse_surveys(bytes)?, |b, r| b.surveys = r),
        Kind::Qa => into(parse_qa(bytes)?, |b, r| b.qa = r),
        Kind::Tickets => into(parse_tickets(bytes)?, |b, r| b.tickets = r),
        Kind::Chats => into(parse_chats(bytes)?, |b, r| b.chats = r),
        Kind::Orders => into(parse_orders(bytes)?, |b, r| b.orders = r),
        Kind::Attendance => into(parse_attendance(bytes)?, |b, r| b.attendance = r),
        Kind::Work => into(parse_work(bytes)?, |b, r| b.work = r),
    })
}

/// A canonical file read chunk by chunk ([`parse_chunks`]): each chunk a batch of at most the
/// asked number of data rows, duplicates of earlier chunks' keys rejected as within a file.
pub struct BatchChunks<'a> {
    next: NextChunk<'a>,
    rows_total: i64,
    lines: u64,
}

type NextChunk<'a> = Box<dyn FnMut() -> Result<Option<(RecordBatch, i64)>, FileError> + Send + 'a>;

impl BatchChunks<'_> {
    /// The next chunk, `None` after the last.
    pub fn next_chunk(&mut self) -> Result<Option<RecordBatch>, FileError> {
        Ok((self.next)()?.map(|(batch, rows)| {
            self.rows_total += rows;
            batch
        }))
    }

    /// Data rows read so far, good and bad: the file's total once every chunk is read.
    pub fn rows_total(&self) -> i64 {
        self.rows_total
    }

    /// Lines in the file: about the number of records, for a progress bar.
    pub fn lines_hint(&self) -> u64 {
        self.lines
    }
}

/// Opens a canonical file of `kind` to read `chunk_rows` data rows at a time: the file-level
/// errors (encoding, header) come now, and memory is one chunk's records plus eight bytes a
/// record read (to find duplicates), whatever the file's size.
pub fn parse_chunks(
    kind: Kind,
    bytes: &[u8],
    chunk_rows: usize,
) -> Result<BatchChunks<'_>, FileError> {
    fn boxed<'a, T: table::Kind + Send + 'a>(
        bytes: &'a [u8],
        chunk_rows: usize,
        put: fn(&mut RecordBatch, Vec<(i64, T)>),
    ) -> Result<BatchChunks<'a>, FileError> {
        let table = table::open_chunks::<T>(bytes, ReadOptions::default(), chunk_rows)?;
        Ok(chunks_of(table, put))
    }
    match kind {
        Kind::Calls => boxed(bytes, chunk_rows, |b, r| b.calls = r),
        Kind::Surveys => boxed(bytes, chunk_rows, |b, r| b.surveys = r),
        Kind::Qa => boxed(bytes, chunk_rows, |b, r| b.qa = r),
        Kind::Tickets => boxed(bytes, chunk_rows, |b, r| b.tickets = r),
        Kind::Chats => boxed(bytes, chunk_rows, |b, r| b.chats = r),
        Kind::Orders => boxed(bytes, chunk_rows, |b, r| b.orders = r),
        Kind::Attendance => boxed(bytes, chunk_rows, |b, r| b.attendance = r),
        Kind::Work => boxed(bytes, chunk_rows, |b, r| b.work = r),
    }
}

/// [`parse_chunks`] for a file on disk that [`crate::canonical::scan_file`] has read once:
/// a UTF-8 file is read from disk as it is parsed, so memory stays one chunk's records plus
/// eight bytes a record read, however large the file (a GB18030 file is decoded whole first).
pub fn parse_file_chunks(
    kind: Kind,
    scan: &FileScan,
    chunk_rows: usize,
) -> Result<BatchChunks<'static>, FileError> {
    fn boxed<T: table::Kind + Send + 'static>(
        scan: &FileScan,
        chunk_rows: usize,
        put: fn(&mut RecordBatch, Vec<(i64, T)>),
    ) -> Result<BatchChunks<'static>, FileError> {
        let table = table::open_file_chunks::<T>(scan, chunk_rows)?;
        Ok(chunks_of(table, put))
    }
    match kind {
        Kind::Calls => boxed(scan, chunk_rows, |b, r| b.calls = r),
        Kind::Surveys => boxed(scan, chunk_rows, |b, r| b.surveys = r),
        Kind::Qa => boxed(scan, chunk_rows, |b, r| b.qa = r),
        Kind::Tickets => boxed(scan, chunk_rows, |b, r| b.tickets = r),
        Kind::Chats => boxed(scan, chunk_rows, |b, r| b.chats = r),
        Kind::Orders => boxed(scan, chunk_rows, |b, r| b.orders = r),
        Kind::Attendance => boxed(scan, chunk_rows, |b, r| b.attendance = r),
        Kind::Work => boxed(scan, chunk_rows, |b, r| b.work = r),
    }
}

/// A table's chunks as batches of its kind.
fn chunks_of<'a, T: table::Kind + Send + 'a>(
    mut table: table::Table<'a, T, table::ParseRow<T>>,
    put: fn(&mut RecordBatch, Vec<(i64, T)>),
) -> BatchChunks<'a> {
    let lines = table.lines_hint();
    let next = move || {
        Ok(table.next_chunk()?.map(|p| {
            let mut b = RecordBatch {
                rejects: p.rejects,
                ..RecordBatch::default()
            };
            put(&mut b, p.records);
            (b, p.rows_total)
        }))
    };
    BatchChunks {
        next: Box::new(next),
        rows_total: 0,
        lines,
    }
}

/// Renumbers the rows of every record and reject in `batch` with `line` (a file read through a
/// mapping profile is parsed as canonical CSV, whose lines are not the source file's rows).
///
/// The destructuring is exhaustive on purpose: a new kind in [`RecordBatch`] must be added here.
pub(crate) fn renumber(batch: &mut RecordBatch, line: impl Fn(i64) -> i64) {
    fn rows<T>(records: &mut [(i64, T)], line: &impl Fn(i64) -> i64) {
        for (row, _) in records {
            *row = line(*row);
        }
    }
    let RecordBatch {
        calls,
        surveys,
        qa,
        tickets,
        chats,
        orders,
        attendance,
        work,
        rejects,
    } = batch;
    rows(calls, &line);
    rows(surveys, &line);
    rows(qa, &line);
    rows(tickets, &line);
    rows(chats, &line);
    rows(orders, &line);
    rows(attendance, &line);
    rows(work, &line);
    for r in rejects {
        r.row = line(r.row);
    }
}

//! The reading loop shared by every kind: header matching, per-row field access, reject
//! collection and duplicate detection, with no allocation per row beyond the records' own.

use std::hash::{DefaultHasher, Hash, Hasher};

use csv::ByteRecord;
use jixiao_core::CoreError;
use jixiao_core::record::Reject;

use super::source::{FileScan, Tee, Text};
use super::text;
use super::{FileError, Parsed, ReadOptions};

/// A kind of record: its columns and how its duplicate key is read.
pub(crate) trait Kind: Sized {
    /// Column names in canonical order.
    const COLUMNS: &'static [&'static str];
    /// Those of [`Kind::COLUMNS`] a header may lack (added after files in the format existed):
    /// a missing optional column reads as empty on every row.
    const OPTIONAL: &'static [&'static str] = &[];
    /// The (source, record_id) key.
    fn key(&self) -> (&str, &str);
    /// Parses one row; reports every bad field through `row` and returns `None` if any.
    fn parse(row: &mut Row<'_>) -> Option<Self>;
}

/// One data row under parsing.
pub(crate) struct Row<'a> {
    record: &'a ByteRecord,
    index: &'a [usize],
    names: &'static [&'static str],
    line: i64,
    rejects: &'a mut Vec<Reject>,
}

impl Row<'_> {
    /// The field of schema column `k` exactly as found ("" when the row is short).
    pub fn raw(&self, k: usize) -> &str {
        self.record
            .get(self.index[k])
            // The whole file was decoded to UTF-8 and fields split at ASCII bytes.
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// The trimmed field of schema column `k`.
    pub fn text(&self, k: usize) -> &str {
        self.raw(k).trim()
    }

    /// Records a reject for schema column `k`.
    pub fn reject(&mut self, k: usize, reason: impl Into<String>) {
        let value = self.raw(k).to_string();
        self.rejects.push(Reject {
            row: self.line,
            column: self.names[k].to_string(),
            value,
            reason: reason.into(),
        });
    }

    /// A required value parsed by `f`; empty or unparsable values are rejected.
    pub fn parse<T>(&mut self, k: usize, f: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        match self.optional(k, f)? {
            Some(v) => Some(v),
            None => {
                self.reject(k, "must not be empty");
                None
            }
        }
    }

    /// An optional value: `Some(None)` when empty, `None` when present but unparsable.
    pub fn optional<T>(
        &mut self,
        k: usize,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<Option<T>> {
        let t = self.text(k);
        if t.is_empty() {
            return Some(None);
        }
        match f(t) {
            Ok(v) => Some(Some(v)),
            Err(reason) => {
                self.reject(k, reason);
                None
            }
        }
    }

    /// A required free-text value.
    pub fn string(&mut self, k: usize) -> Option<String> {
        self.parse(k, |s| Ok(s.to_string()))
    }

    /// Turns a failed whole-record check of the core into a reject of the column it names
    /// (the first column if it names none of this format's); `None` on failure.
    pub fn check(&mut self, result: Result<(), CoreError>) -> Option<()> {
        match result {
            Ok(()) => Some(()),
            Err(e) => {
                let (what, reason) = match e {
                    CoreError::Invalid { what, reason, .. } => (what, reason),
                    other => ("", other.to_string()),
                };
                let k = self.names.iter().position(|n| *n == what).unwrap_or(0);
                self.reject(k, reason);
                None
            }
        }
    }

    /// An optional free-text value: `None` when empty.
    pub fn opt_string(&self, k: usize) -> Option<String> {
        let t = self.text(k);
        (!t.is_empty()).then(|| t.to_string())
    }
}

/// Reads a whole file of one kind.
pub(crate) fn read<T: Kind>(bytes: &[u8], options: ReadOptions) -> Result<Parsed<T>, FileError> {
    read_table(
        bytes,
        options,
        T::COLUMNS,
        Layout::Header(T::OPTIONAL),
        T::parse,
    )
}

/// A kind's own row parser, as [`open_chunks`] uses it.
pub(crate) type ParseRow<T> = fn(&mut Row<'_>) -> Option<T>;

/// Opens a file of one kind to be read `chunk_rows` data rows at a time.
pub(crate) fn open_chunks<T: Kind>(
    bytes: &[u8],
    options: ReadOptions,
    chunk_rows: usize,
) -> Result<Table<'_, T, ParseRow<T>>, FileError> {
    let parse: ParseRow<T> = T::parse;
    let layout = Layout::Header(T::OPTIONAL);
    Table::open(bytes, options, T::COLUMNS, layout, parse, chunk_rows.max(1))
}

/// Opens a scanned file of one kind to be read from disk `chunk_rows` data rows at a time.
pub(crate) fn open_file_chunks<T: Kind>(
    scan: &FileScan,
    chunk_rows: usize,
) -> Result<Table<'static, T, ParseRow<T>>, FileError> {
    if scan.blank {
        return Err(FileError::Empty);
    }
    let (text, first_line) = Text::of_scan(scan)?;
    let delimiter = text::delimiter(&first_line, ReadOptions::default().delimiter);
    let parse: ParseRow<T> = T::parse;
    let layout = Layout::Header(T::OPTIONAL);
    let lines = text.count_lines().unwrap_or(scan.lines);
    Table::from_text(
        text,
        delimiter,
        lines,
        T::COLUMNS,
        layout,
        parse,
        chunk_rows.max(1),
    )
}

/// Reads a whole file whose rows `parse` turns into records; `columns` are the header names
/// it reads, by schema index. Duplicates are judged by the records' [`Kind::key`].
pub(crate) fn read_rows<T: Kind>(
    bytes: &[u8],
    options: ReadOptions,
    columns: &'static [&'static str],
    parse: impl FnMut(&mut Row<'_>) -> Option<T>,
) -> Result<Parsed<T>, FileError> {
    read_table(bytes, options, columns, Layout::Header(&[]), parse)
}

/// Reads a file without a header line whose rows have exactly `fields` fields; schema column
/// `k` is field `positions[k]` (0-based). Line 1 is the first data row.
pub(crate) fn read_headerless<T: Kind>(
    bytes: &[u8],
    options: ReadOptions,
    columns: &'static [&'static str],
    positions: &[usize],
    fields: usize,
    parse: impl FnMut(&mut Row<'_>) -> Option<T>,
) -> Result<Parsed<T>, FileError> {
    let layout = Layout::Positions { positions, fields };
    read_table(bytes, options, columns, layout, parse)
}

/// Where a file's columns are: named by a header line (which may lack the optional ones), or
/// at fixed positions.
pub(crate) enum Layout<'p> {
    Header(&'p [&'p str]),
    Positions {
        positions: &'p [usize],
        fields: usize,
    },
}

fn read_table<T: Kind>(
    bytes: &[u8],
    options: ReadOptions,
    columns: &'static [&'static str],
    layout: Layout<'_>,
    parse: impl FnMut(&mut Row<'_>) -> Option<T>,
) -> Result<Parsed<T>, FileError> {
    let mut table = Table::open(bytes, options, columns, layout, parse, usize::MAX)?;
    let mut out = table.next_chunk()?.unwrap_or(Parsed {
        records: Vec::new(),
        rejects: Vec::new(),
        rows_total: 0,
    });
    out.rows_total = table.rows_total;
    Ok(out)
}

/// A file under reading, `chunk_rows` data rows at a time. A key seen in an earlier chunk is
/// a duplicate as within one (the first row is kept): the earlier chunks' keys are remembered
/// as [`SeenKeys`], a few bytes per record, and the earlier row is read again to name its line.
pub(crate) struct Table<'a, T, F> {
    text: Text<'a>,
    reader: csv::Reader<Tee<'a>>,
    delimiter: u8,
    lines_total: u64,
    index: Vec<usize>,
    width: usize,
    columns: &'static [&'static str],
    shape: &'static str,
    hint: &'static str,
    parse: F,
    chunk_rows: usize,
    lines: LineCounter,
    record: ByteRecord,
    /// Data rows read so far, good and bad.
    pub rows_total: i64,
    /// The reader reached the end of the file: every later chunk is `None`.
    exhausted: bool,
    /// Keys of the earlier chunks' records, by ordinal (see [`SeenKeys`]); every
    /// [`CHECKPOINT_ROWS`]th row's byte offset and line, to find an ordinal's row again.
    seen: SeenKeys,
    checkpoints: Vec<(usize, i64)>,
    _kind: std::marker::PhantomData<T>,
}

/// Rows between two remembered row offsets: re-reading an earlier row reads at most this many.
const CHECKPOINT_ROWS: i64 = 256;

impl<'a, T: Kind, F: FnMut(&mut Row<'_>) -> Option<T>> Table<'a, T, F> {
    /// Decodes the file and reads its header (if the layout has one): every file-level error
    /// is found here, before the first chunk.
    pub fn open(
        bytes: &'a [u8],
        options: ReadOptions,
        columns: &'static [&'static str],
        layout: Layout<'_>,
        parse: F,
        chunk_rows: usize,
    ) -> Result<Self, FileError> {
        let text = text::decode(bytes, options.encoding)?;
        if text.iter().all(u8::is_ascii_whitespace) {
            return Err(FileError::Empty);
        }
        let delimiter = text::delimiter(&text, options.delimiter);
        let text = Text::from_cow(text);
        let lines = text.count_lines().unwrap_or(0);
        Self::from_text(text, delimiter, lines, columns, layout, parse, chunk_rows)
    }

    /// Reads the header (if the layout has one) of a decoded, non-blank text.
    fn from_text(
        text: Text<'a>,
        delimiter: u8,
        lines_total: u64,
        columns: &'static [&'static str],
        layout: Layout<'_>,
        parse: F,
        chunk_rows: usize,
    ) -> Result<Self, FileError> {
        let header = matches!(layout, Layout::Header(_));
        let mut reader = csv_reader(delimiter, header).from_reader(Tee::new(text.open_at(0)?, 0));
        let shape = match layout {
            Layout::Header(_) => "the header has",
            Layout::Positions { .. } => "this format's rows have",
        };
        let (index, width) = match layout {
            Layout::Header(optional) => {
                let header = reader.byte_headers().map_err(malformed)?.clone();
                (match_columns(columns, optional, &header)?, header.len())
            }
            Layout::Positions { positions, fields } => (positions.to_vec(), fields),
        };
        let hint = if delimiter == b'\t' {
            "a missing or extra tab"
        } else {
            "an unquoted comma"
        };
        Ok(Table {
            text,
            reader,
            delimiter,
            lines_total,
            index,
            width,
            columns,
            shape,
            hint,
            parse,
            chunk_rows,
            lines: LineCounter::default(),
            record: ByteRecord::new(),
            rows_total: 0,
            exhausted: false,
            // Sized once for the file's lines: growing by doubling would hold the old and the
            // new table at once, 24 bytes a record at the last doubling instead of 8 to 16.
            seen: if chunk_rows == usize::MAX {
                SeenKeys::default()
            } else {
                SeenKeys::for_records(lines_total)
            },
            checkpoints: Vec::new(),
            _kind: std::marker::PhantomData,
        })
    }

    /// Lines in the decoded file: the number of records to expect, about.
    pub fn lines_hint(&self) -> u64 {
        self.lines_total
    }

    /// The next `chunk_rows` data rows, parsed, duplicates of earlier rows rejected; `None`
    /// at the end of the file.
    pub fn next_chunk(&mut self) -> Result<Option<Parsed<T>>, FileError> {
        if self.exhausted {
            // A file of no data rows gave its one empty chunk already.
            return Ok(None);
        }
        let mut out = Parsed {
            // Sizing up front spares the copies of growing a million-row chunk.
            records: Vec::with_capacity(self.chunk_rows.min(self.lines_estimate())),
            rejects: Vec::new(),
            rows_total: 0,
        };
        let mut ordinals = Vec::new();
        let first_chunk = self.rows_total == 0;
        let mut more = true;
        while (out.rows_total as usize) < self.chunk_rows && {
            more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(malformed)?;
            more
        } {
            let ordinal = self.rows_total;
            self.rows_total += 1;
            out.rows_total += 1;
            let start = self.record.position().map_or(0, |p| p.byte() as usize);
            let line = self.lines.line_at(self.reader.get_mut(), start);
            if ordinal % CHECKPOINT_ROWS == 0 {
                // Where the record's first field starts: a CRLF's `\n` may come before.
                self.checkpoints.push((self.lines.pos, line));
            }
            if self.record.len() != self.width {
                out.rejects.push(Reject {
                    row: line,
                    column: "(row)".into(),
                    value: format!("{} fields", self.record.len()),
                    reason: format!(
                        "{} {} fields; check for {} or a cut line",
                        self.shape, self.width, self.hint
                    ),
                });
                continue;
            }
            let mut row = Row {
                record: &self.record,
                index: &self.index,
                names: self.columns,
                line,
                rejects: &mut out.rejects,
            };
            let Some(parsed) = (self.parse)(&mut row) else {
                continue;
            };
            out.records.push((line, parsed));
            ordinals.push(ordinal);
        }
        if !more {
            self.exhausted = true;
            self.text.check_unchanged()?;
        }
        if out.rows_total == 0 && !first_chunk {
            return Ok(None);
        }
        if !self.seen.is_empty() {
            self.reject_seen(&mut out, &mut ordinals)?;
        }
        let kept = reject_duplicates(&mut out);
        if self.chunk_rows != usize::MAX {
            for (i, (_, r)) in out.records.iter().enumerate() {
                self.seen.insert(key_hash(r), ordinals[kept[i]]);
            }
        }
        Ok(Some(out))
    }

    fn lines_estimate(&self) -> usize {
        // Only worth counting for the whole file; a chunk knows its size.
        if self.chunk_rows == usize::MAX {
            self.lines_hint() as usize
        } else {
            self.chunk_rows
        }
    }

    /// Rejects the records of this chunk whose key an earlier chunk's record has, naming
    /// that record's line (the earliest, as the earlier chunks hold each key once).
    fn reject_seen(
        &mut self,
        out: &mut Parsed<T>,
        ordinals: &mut Vec<i64>,
    ) -> Result<(), FileError> {
        let mut drop = vec![false; out.records.len()];
        for (i, (line, r)) in out.records.iter().enumerate() {
            let candidates: Vec<i64> = self.seen.candidates(key_hash(r)).collect();
            for candidate in candidates {
                let (first_line, first) = self.reread(candidate)?;
                if first.as_ref().is_some_and(|f| f.key() == r.key()) {
                    drop[i] = true;
                    out.rejects.push(duplicate_reject(*line, r, first_line));
                    break;
                }
            }
        }
        if drop.iter().any(|d| *d) {
            let mut i = 0;
            out.records.retain(|_| {
                i += 1;
                !drop[i - 1]
            });
            let mut i = 0;
            ordinals.retain(|_| {
                i += 1;
                !drop[i - 1]
            });
            out.rejects.sort_by_key(|r| r.row);
        }
        Ok(())
    }

    /// Reads the row of `ordinal` again: its line, and its record if it parses.
    fn reread(&mut self, ordinal: i64) -> Result<(i64, Option<T>), FileError> {
        let (offset, line) = self.checkpoints[(ordinal / CHECKPOINT_ROWS) as usize];
        let from = Tee::new(self.text.open_at(offset)?, offset);
        let mut reader = csv_reader(self.delimiter, false).from_reader(from);
        let mut record = ByteRecord::new();
        for _ in 0..=ordinal % CHECKPOINT_ROWS {
            reader.read_byte_record(&mut record).map_err(malformed)?;
        }
        let start = offset + record.position().map_or(0, |p| p.byte() as usize);
        let mut lines = LineCounter {
            pos: offset,
            line: line - 1,
        };
        let line = lines.line_at(reader.get_mut(), start);
        let mut scratch = Vec::new();
        let mut row = Row {
            record: &record,
            index: &self.index,
            names: self.columns,
            line,
            rejects: &mut scratch,
        };
        Ok((line, (self.parse)(&mut row)))
    }
}

fn csv_reader(delimiter: u8, has_headers: bool) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.has_headers(has_headers)
        .buffer_capacity(1 << 16)
        .flexible(true)
        .delimiter(delimiter);
    b
}

/// Key hashes of the records of earlier chunks, each with its row's ordinal, in an open
/// addressing table of `u64`s: the upper 32 bits of the key's hash beside the ordinal. Eight
/// bytes a record (at most twice that in empty slots), against the hundreds a record takes;
/// 32 bits of hash give a false candidate now and then, which [`Table::reread`] settles.
#[derive(Default)]
struct SeenKeys {
    slots: Vec<u64>,
    len: usize,
}

impl SeenKeys {
    /// A table that holds `records` keys without growing (it still grows if there are more).
    fn for_records(records: u64) -> Self {
        let wanted = usize::try_from(records.saturating_mul(8) / 7 + 1).unwrap_or(usize::MAX);
        SeenKeys {
            slots: vec![0; wanted.max(1024).next_power_of_two()],
            len: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn insert(&mut self, hash: u64, ordinal: i64) {
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            self.grow();
        }
        let entry = (hash & 0xFFFF_FFFF_0000_0000) | (ordinal as u64 + 1);
        self.put(entry);
        self.len += 1;
    }

    fn put(&mut self, entry: u64) {
        let mask = self.slots.len() - 1;
        let mut i = (entry >> 32) as usize & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = entry;
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        for e in old.into_iter().filter(|&e| e != 0) {
            self.put(e);
        }
    }

    /// Ordinals of the records whose hash may be `hash`.
    fn candidates(&self, hash: u64) -> impl Iterator<Item = i64> + '_ {
        let tag = hash >> 32;
        let mask = self.slots.len().wrapping_sub(1);
        let start = tag as usize & mask;
        (0..self.slots.len())
            .map(move |k| self.slots[(start + k) & mask])
            .take_while(|&e| e != 0)
            .filter(move |&e| e >> 32 == tag)
            .map(|e| ((e & 0xFFFF_FFFF) - 1) as i64)
    }
}

/// Line numbers from byte offsets, counted incrementally (the reader's own line count is one
/// short after CRLF line ends).
#[derive(Default)]
struct LineCounter {
    pos: usize,
    line: i64,
}

impl LineCounter {
    fn line_at(&mut self, read: &mut Tee<'_>, mut start: usize) -> i64 {
        // A record never starts with a line end: step over the rest of the previous one.
        while matches!(read.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let start = start.max(self.pos);
        self.line += read.newlines(self.pos, start);
        self.pos = start;
        read.forget_before(start);
        self.line + 1
    }
}

fn malformed(e: csv::Error) -> FileError {
    if let csv::ErrorKind::Io(io) = e.kind() {
        return FileError::Unreadable {
            message: io.to_string(),
        };
    }
    let line = e.position().map_or(0, |p| p.line() as i64);
    FileError::Malformed {
        line,
        message: e.to_string(),
    }
}

/// Finds each schema column in the header by trimmed, case-insensitive name. A missing
/// optional column gets an index past every row, so its field reads as empty.
fn match_columns(
    columns: &'static [&'static str],
    optional: &[&str],
    header: &ByteRecord,
) -> Result<Vec<usize>, FileError> {
    let names: Vec<String> = header
        .iter()
        .map(|b| String::from_utf8_lossy(b).trim().to_ascii_lowercase())
        .collect();
    columns
        .iter()
        .map(|&col| {
            let mut hits = names.iter().enumerate().filter(|(_, n)| *n == col);
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Ok(i),
                (Some(_), Some(_)) => Err(FileError::DuplicateColumn { column: col }),
                (None, _) if optional.contains(&col) => Ok(usize::MAX),
                (None, _) => Err(FileError::MissingColumn {
                    column: col,
                    found: names.join(","),
                }),
            }
        })
        .collect()
}

fn key_hash<T: Kind>(t: &T) -> u64 {
    // SipHash with fixed keys: no allocation, and a collision is resolved below.
    let mut h = DefaultHasher::new();
    t.key().hash(&mut h);
    h.finish()
}

/// The reject of a row whose key the row on `first_line` has.
fn duplicate_reject<T: Kind>(line: i64, r: &T, first_line: i64) -> Reject {
    Reject {
        row: line,
        column: "record_id".into(),
        value: r.key().1.to_string(),
        reason: format!(
            "duplicate of line {first_line} (same source and record_id); the first is kept"
        ),
    }
}

/// Keeps the first of each (source, record_id) and rejects the later ones, naming the first.
/// Returns the former index of each record kept.
///
/// Sorting (hash, index) pairs instead of probing a hash table row by row: at a million rows a
/// table is far bigger than the cache and every probe is a memory stall, while a sort streams.
fn reject_duplicates<T: Kind>(out: &mut Parsed<T>) -> Vec<usize> {
    let mut keys: Vec<(u64, usize)> = out
        .records
        .iter()
        .enumerate()
        .map(|(i, (_, r))| (key_hash(r), i))
        .collect();
    keys.sort_unstable();
    let records = &out.records;
    let mut first_of: Vec<(usize, usize)> = Vec::new();
    for run in keys.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        for (j, &(_, later)) in run.iter().enumerate().skip(1) {
            // Equal hashes almost surely mean equal keys, but check: the run is sorted by
            // index, so the first match is the earliest row with this key.
            let same = |&&(_, e): &&(u64, usize)| records[e].1.key() == records[later].1.key();
            if let Some(&(_, first)) = run[..j].iter().find(same) {
                first_of.push((later, first));
            }
        }
    }
    if first_of.is_empty() {
        return (0..records.len()).collect();
    }
    let mut drop = vec![false; records.len()];
    for &(later, first) in &first_of {
        drop[later] = true;
        let (line, r) = &records[later];
        out.rejects
            .push(duplicate_reject(*line, r, records[first].0));
    }
    // Stable: the field rejects of one row keep their column order.
    out.rejects.sort_by_key(|r| r.row);
    let kept = (0..records.len()).filter(|&i| !drop[i]).collect();
    let mut i = 0;
    out.records.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
    kept
}

#[cfg(test)]
mod seen_tests {
    use super::SeenKeys;

    /// Every inserted ordinal is a candidate of its hash, whether the table was sized for its
    /// records or had to grow past an underestimate.
    #[test]
    fn a_sized_or_grown_table_finds_every_key() {
        for sized_for in [0, 100, 5_000] {
            let mut seen = SeenKeys::for_records(sized_for);
            let hash = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            for i in 0..5_000u64 {
                seen.insert(hash(i), i as i64);
            }
            if sized_for == 5_000 {
                assert_eq!(seen.slots.len(), 8_192, "sized once, never grown");
            }
            for i in 0..5_000u64 {
                assert!(
                    seen.candidates(hash(i)).any(|o| o == i as i64),
                    "key {i} of a table sized for {sized_for}"
                );
            }
        }
    }
}

//! The reading loop shared by every kind: header matching, per-row field access, reject
//! collection and duplicate detection, with no allocation per row beyond the records' own.

use std::hash::{DefaultHasher, Hash, Hasher};

use csv::ByteRecord;
use jixiao_core::CoreError;
use jixiao_core::record::Reject;

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
enum Layout<'p> {
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
    mut parse: impl FnMut(&mut Row<'_>) -> Option<T>,
) -> Result<Parsed<T>, FileError> {
    let text = text::decode(bytes, options.encoding)?;
    let bytes: &[u8] = &text;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::Empty);
    }
    let delimiter = text::delimiter(bytes, options.delimiter);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(matches!(layout, Layout::Header(_)))
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
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

    // Sizing up front spares the copies and rehashes of growing a million-row file.
    let estimate = bytes.iter().filter(|&&b| b == b'\n').count();
    let mut out = Parsed {
        records: Vec::with_capacity(estimate),
        rejects: Vec::new(),
        rows_total: 0,
    };
    let mut record = ByteRecord::new();
    let mut lines = LineCounter::default();
    while reader.read_byte_record(&mut record).map_err(malformed)? {
        out.rows_total += 1;
        let line = lines.line_at(bytes, record.position().map_or(0, |p| p.byte() as usize));
        if record.len() != width {
            out.rejects.push(Reject {
                row: line,
                column: "(row)".into(),
                value: format!("{} fields", record.len()),
                reason: format!("{shape} {width} fields; check for {hint} or a cut line"),
            });
            continue;
        }
        let mut row = Row {
            record: &record,
            index: &index,
            names: columns,
            line,
            rejects: &mut out.rejects,
        };
        let Some(parsed) = parse(&mut row) else {
            continue;
        };
        out.records.push((line, parsed));
    }
    reject_duplicates(&mut out);
    Ok(out)
}

/// Line numbers from byte offsets, counted incrementally (the reader's own line count is one
/// short after CRLF line ends).
#[derive(Default)]
struct LineCounter {
    pos: usize,
    line: i64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], mut start: usize) -> i64 {
        // A record never starts with a line end: step over the rest of the previous one.
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let start = start.min(bytes.len()).max(self.pos);
        self.line += bytes[self.pos..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as i64;
        self.pos = start;
        self.line + 1
    }
}

fn malformed(e: csv::Error) -> FileError {
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

/// Keeps the first of each (source, record_id) and rejects the later ones, naming the first.
///
/// Sorting (hash, index) pairs instead of probing a hash table row by row: at a million rows a
/// table is far bigger than the cache and every probe is a memory stall, while a sort streams.
fn reject_duplicates<T: Kind>(out: &mut Parsed<T>) {
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
        return;
    }
    let mut drop = vec![false; records.len()];
    for &(later, first) in &first_of {
        drop[later] = true;
        let (line, r) = &records[later];
        out.rejects.push(Reject {
            row: *line,
            column: "record_id".into(),
            value: r.key().1.to_string(),
            reason: format!(
                "duplicate of line {} (same source and record_id); the first is kept",
                records[first].0
            ),
        });
    }
    // Stable: the field rejects of one row keep their column order.
    out.rejects.sort_by_key(|r| r.row);
    let mut i = 0;
    out.records.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

//! The source file as rows of cells, whatever it is: delimited text in any of the encodings the
//! canonical reader knows, or a worksheet of an .xlsx workbook.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, ExcelDateTime, Range, Reader, Xlsx};
use csv::ByteRecord;

use super::profile::{Delimiter, Encoding, FileFormat, Profile, Sheet};
use crate::canonical::{self, FileError};

/// One cell as the source holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    /// Text (every cell of a text file).
    Text(Cow<'a, str>),
    /// A workbook whole number.
    Int(i64),
    /// A workbook number without a date or time format.
    Number(f64),
    /// A workbook cell formatted as a date, time or duration (an Excel serial number).
    Serial(ExcelDateTime),
}

impl Cell<'_> {
    /// The cell as a person sees it: text as found, numbers and serials written out.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Number(f) => Cow::Owned(f.to_string()),
            Cell::Serial(d) => Cow::Owned(super::value::serial_text(d)),
        }
    }
}

/// A file opened for reading rows.
pub(crate) struct Table<'a> {
    inner: Inner<'a>,
    /// The header's names, trimmed, when the profile says there is one.
    pub header: Option<Vec<String>>,
    /// How many fields every row must have (text files), else `None`.
    pub width: Option<usize>,
    /// The 0-based sheet column of cell 0 (a used range need not start at column A).
    pub first_col: usize,
}

enum Inner<'a> {
    Text {
        text: Cow<'a, [u8]>,
        delimiter: u8,
        /// Byte offset of the first data row.
        data: usize,
    },
    Sheet {
        range: Range<Data>,
        /// Index in the range of the first data row.
        data: usize,
        /// 0-based sheet row of range row 0.
        first_row: usize,
    },
}

impl<'a> Table<'a> {
    /// Opens `bytes` as the profile describes: decodes, skips rows, reads the header.
    pub fn open(profile: &Profile, bytes: &'a [u8]) -> Result<Table<'a>, FileError> {
        match profile.format {
            FileFormat::Csv => open_text(profile, bytes),
            FileFormat::Xlsx => open_sheet(profile, bytes),
        }
    }

    /// Calls `f` with each data row that has a non-blank cell: the file's 1-based row (line of
    /// a text file, row of a sheet), a locator for [`Table::fetch`], and the cells.
    /// `f` returns whether to go on.
    pub fn visit(
        &self,
        mut f: impl FnMut(i64, usize, &[Cell<'_>]) -> bool,
    ) -> Result<(), FileError> {
        match &self.inner {
            Inner::Text {
                text,
                delimiter,
                data,
            } => {
                let mut reader = text_reader(&text[*data..], *delimiter);
                let mut record = ByteRecord::new();
                let mut lines = Lines::default();
                while reader.read_byte_record(&mut record).map_err(malformed)? {
                    let at = data + record.position().map_or(0, |p| p.byte() as usize);
                    let cells = text_cells(&record);
                    if cells.iter().all(is_blank) {
                        continue;
                    }
                    if !f(lines.line_at(text, at), at, &cells) {
                        break;
                    }
                }
                Ok(())
            }
            Inner::Sheet {
                range,
                data,
                first_row,
            } => {
                for (i, row) in range.rows().enumerate().skip(*data) {
                    let cells: Vec<Cell<'_>> = row.iter().map(sheet_cell).collect();
                    if cells.iter().all(is_blank) {
                        continue;
                    }
                    if !f((first_row + i + 1) as i64, i, &cells) {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// The cells of the row at `at`, a locator [`Table::visit`] gave.
    pub fn fetch(&self, at: usize) -> Vec<Cell<'_>> {
        match &self.inner {
            Inner::Text {
                text, delimiter, ..
            } => {
                let mut record = ByteRecord::new();
                let mut reader = text_reader(&text[at.min(text.len())..], *delimiter);
                match reader.read_byte_record(&mut record) {
                    Ok(true) => text_cells(&record)
                        .into_iter()
                        .map(|c| Cell::Text(Cow::Owned(c.text().into_owned())))
                        .collect(),
                    _ => Vec::new(),
                }
            }
            Inner::Sheet { range, .. } => (0..range.width())
                .map(|j| range.get((at, j)).map_or(Cell::Text("".into()), sheet_cell))
                .collect(),
        }
    }
}

fn is_blank(c: &Cell<'_>) -> bool {
    matches!(c, Cell::Text(s) if s.trim().is_empty())
}

fn text_reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

fn text_cells(record: &ByteRecord) -> Vec<Cell<'_>> {
    record
        .iter()
        // The whole file was decoded to UTF-8 and fields split at ASCII bytes.
        .map(|b| Cell::Text(Cow::Borrowed(std::str::from_utf8(b).unwrap_or(""))))
        .collect()
}

fn malformed(e: csv::Error) -> FileError {
    FileError::Malformed {
        line: e.position().map_or(0, |p| p.line() as i64),
        message: e.to_string(),
    }
}

fn open_text<'a>(profile: &Profile, bytes: &'a [u8]) -> Result<Table<'a>, FileError> {
    let encoding = match profile.encoding {
        Encoding::Auto => canonical::Encoding::Auto,
        Encoding::Utf8 => canonical::Encoding::Utf8,
        Encoding::Gb18030 => canonical::Encoding::Gb18030,
    };
    let text = canonical::decode(bytes, encoding)?;
    let mut start = 0;
    for _ in 0..profile.skip_rows {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(n) => start += n + 1,
            None => start = text.len(),
        }
    }
    if text[start..].iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::Empty);
    }
    let delimiter = delimiter(&text[start..], profile.delimiter);
    let mut reader = text_reader(&text[start..], delimiter);
    let mut record = ByteRecord::new();
    // The first non-blank row is the header, or fixes the width of a headerless file.
    let mut first = None;
    while reader.read_byte_record(&mut record).map_err(malformed)? {
        let cells = text_cells(&record);
        if !cells.iter().all(is_blank) {
            let at = start + record.position().map_or(0, |p| p.byte() as usize);
            let next = start + reader.position().byte() as usize;
            let names: Vec<String> = cells.iter().map(|c| c.text().trim().to_string()).collect();
            first = Some((at, next, names));
            break;
        }
    }
    let Some((at, next, names)) = first else {
        return Err(FileError::Empty);
    };
    let width = Some(names.len());
    let (header, data) = if profile.header {
        (Some(names), next)
    } else {
        (None, at)
    };
    Ok(Table {
        inner: Inner::Text {
            text,
            delimiter,
            data,
        },
        header,
        width,
        first_col: 0,
    })
}

/// The delimiter byte: as the profile says, or the most frequent of tab, comma and semicolon on
/// the first line (a comma when none is).
fn delimiter(text: &[u8], delimiter: Delimiter) -> u8 {
    match delimiter {
        Delimiter::Comma => b',',
        Delimiter::Tab => b'\t',
        Delimiter::Semicolon => b';',
        Delimiter::Auto => {
            let line = text.split(|&b| b == b'\n').next().unwrap_or(text);
            let count = |d: u8| line.iter().filter(|&&b| b == d).count();
            [b',', b'\t', b';']
                .into_iter()
                .max_by_key(|&d| (count(d), d == b','))
                .unwrap_or(b',')
        }
    }
}

fn open_sheet<'a>(profile: &Profile, bytes: &'a [u8]) -> Result<Table<'a>, FileError> {
    let workbook = |message: String| FileError::Workbook { message };
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| workbook(e.to_string()))?;
    let names = book.sheet_names();
    let index = match &profile.sheet {
        None => 0,
        Some(Sheet::Position(n)) => match (*n as usize).checked_sub(1) {
            Some(i) if i < names.len() => i,
            _ => {
                let msg = format!("it has no sheet {n} (it has {} sheets)", names.len());
                return Err(workbook(msg));
            }
        },
        Some(Sheet::Name(name)) => match names.iter().position(|s| s.trim() == name.trim()) {
            Some(i) => i,
            None => {
                let msg = format!("it has no sheet \"{name}\" (it has: {})", names.join(", "));
                return Err(workbook(msg));
            }
        },
    };
    let range = book
        .worksheet_range_at(index)
        .ok_or_else(|| workbook("it has no worksheet".into()))?
        .map_err(|e| workbook(e.to_string()))?;
    let Some((row0, col0)) = range.start() else {
        return Err(FileError::Empty);
    };
    let (first_row, first_col) = (row0 as usize, col0 as usize);
    let skip = (profile.skip_rows as usize).saturating_sub(first_row);
    let blank = |row: &[Data]| row.iter().map(sheet_cell).all(|c| is_blank(&c));
    let Some((first, cells)) = range.rows().enumerate().skip(skip).find(|(_, r)| !blank(r)) else {
        return Err(FileError::Empty);
    };
    let (header, data) = if profile.header {
        let names = cells
            .iter()
            .map(|c| sheet_cell(c).text().trim().to_string());
        (Some(names.collect()), first + 1)
    } else {
        (None, first)
    };
    Ok(Table {
        inner: Inner::Sheet {
            range,
            data,
            first_row,
        },
        header,
        width: None,
        first_col,
    })
}

fn sheet_cell(d: &Data) -> Cell<'_> {
    match d {
        Data::Empty => Cell::Text(Cow::Borrowed("")),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            Cell::Text(Cow::Borrowed(s))
        }
        Data::Int(n) => Cell::Int(*n),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(Cow::Borrowed(if *b { "TRUE" } else { "FALSE" })),
        Data::DateTime(d) => Cell::Serial(*d),
        Data::Error(e) => Cell::Text(Cow::Owned(e.to_string())),
    }
}

/// Line numbers from byte offsets, counted incrementally: the line a record starts on, past
/// the line end that closed the previous one.
#[derive(Default)]
struct Lines {
    pos: usize,
    line: i64,
}

impl Lines {
    fn line_at(&mut self, bytes: &[u8], mut start: usize) -> i64 {
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

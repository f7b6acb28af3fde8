//! Where a table's UTF-8 text comes from — bytes in memory, or a file read as it is parsed —
//! and the one pass over a file that precedes its parsing ([`scan_file`]): its hash, size,
//! encoding and line count, in a fixed amount of memory whatever the file's size.
//!
//! A file of valid UTF-8 (the size that matters: a month of a large center's calls) is never
//! held in memory: the reader reads it from disk in blocks, a duplicate's earlier row is found
//! again by seeking, and only the bytes between the last record and the reader's buffer end
//! are kept (to count lines). A file that is not UTF-8 is read as GB18030 and decoded whole;
//! Chinese Excel writes such files, and they are small.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::{FileError, text};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Bytes read from disk at a time by [`scan_file`] and by the table reader.
pub(crate) const BLOCK: usize = 1 << 20;

/// What one pass over a file found; [`crate::canonical::parse_file_chunks`] reads it after.
#[derive(Debug, Clone)]
pub struct FileScan {
    /// SHA-256 of the file's bytes, lowercase hex (as [`crate::canonical::file_hash`]).
    pub hash: String,
    /// The file's size in bytes.
    pub size: u64,
    /// Line ends in the file: about the number of records, for a progress bar.
    pub lines: u64,
    pub(crate) path: PathBuf,
    pub(crate) modified: Option<SystemTime>,
    /// A UTF-8 byte-order mark opens the file.
    pub(crate) bom: bool,
    /// `Err(line)`: the line of the first byte that is not UTF-8.
    pub(crate) utf8: Result<(), i64>,
    /// Nothing but blank space (after a byte-order mark).
    pub(crate) blank: bool,
    /// The first line of the text (after a byte-order mark), to judge the delimiter by.
    pub(crate) first_line: Vec<u8>,
}

/// Reads `path` once: hash, size, line count, whether it is UTF-8, and its first line.
pub fn scan_file(path: &Path) -> Result<FileScan, FileError> {
    let mut file = File::open(path).map_err(|e| unreadable(path, &e))?;
    let modified = file.metadata().and_then(|m| m.modified()).ok();
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; BLOCK];
    let (mut size, mut lines) = (0u64, 0u64);
    let mut bom = false;
    let mut utf8 = Ok(());
    let mut blank = true;
    let mut first_line = Vec::new();
    let mut first_done = false;
    // The undecided tail of a character split by a block edge (at most 3 bytes).
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let n = read_full(&mut file, &mut block).map_err(|e| unreadable(path, &e))?;
        if n == 0 {
            break;
        }
        let mut b = &block[..n];
        hasher.update(b);
        if size == 0 && b.starts_with(BOM) {
            bom = true;
            b = &b[BOM.len()..];
        }
        size += n as u64;
        if blank {
            blank = b.iter().all(u8::is_ascii_whitespace);
        }
        if !first_done {
            match b.iter().position(|&c| c == b'\n') {
                Some(i) => {
                    first_line.extend_from_slice(&b[..i]);
                    first_done = true;
                }
                None => first_line.extend_from_slice(b),
            }
        }
        if utf8.is_ok() {
            pending.extend_from_slice(b);
            match std::str::from_utf8(&pending) {
                Ok(_) => pending.clear(),
                Err(e) if e.error_len().is_none() => {
                    pending.drain(..e.valid_up_to());
                }
                Err(e) => {
                    let before = &pending[..e.valid_up_to()];
                    // Lines counted so far end before this block's text in `pending`.
                    let carried = pending.len() - b.len();
                    let in_carry = before.len().min(carried);
                    let newlines = before[in_carry..].iter().filter(|&&c| c == b'\n').count();
                    utf8 = Err((lines + newlines as u64 + 1) as i64);
                    pending = Vec::new();
                }
            }
        }
        lines += b.iter().filter(|&&c| c == b'\n').count() as u64;
    }
    if utf8.is_ok() && !pending.is_empty() {
        // The file ends inside a character.
        utf8 = Err((lines + 1) as i64);
    }
    Ok(FileScan {
        hash: hex::encode(hasher.finalize()),
        size,
        lines,
        path: path.to_path_buf(),
        modified,
        bom,
        utf8,
        blank,
        first_line,
    })
}

/// Fills `buf` as far as the file goes; the number of bytes read (0 at the end).
fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

pub(crate) fn unreadable(path: &Path, e: &std::io::Error) -> FileError {
    FileError::Unreadable {
        message: format!("{}: {e}", path.display()),
    }
}

/// A table's text: UTF-8 without a byte-order mark, in memory or in a file.
#[derive(Clone)]
pub(crate) enum Text<'a> {
    Borrowed(&'a [u8]),
    Shared(Arc<[u8]>),
    /// The file of a scan whose bytes are UTF-8, `skip` bytes of byte-order mark at its start.
    File {
        path: Arc<Path>,
        skip: u64,
        size: u64,
        modified: Option<SystemTime>,
    },
}

impl<'a> Text<'a> {
    pub fn from_cow(c: Cow<'a, [u8]>) -> Self {
        match c {
            Cow::Borrowed(b) => Text::Borrowed(b),
            Cow::Owned(v) => Text::Shared(v.into()),
        }
    }

    /// The text of a scanned file: streamed when it is UTF-8, else read and decoded whole as
    /// GB18030 (as [`text::decode`] does for bytes), with the same errors.
    pub fn of_scan(scan: &FileScan) -> Result<(Text<'static>, Vec<u8>), FileError> {
        match scan.utf8 {
            Ok(()) => Ok((
                Text::File {
                    path: scan.path.as_path().into(),
                    skip: if scan.bom { BOM.len() as u64 } else { 0 },
                    size: scan.size,
                    modified: scan.modified,
                },
                scan.first_line.clone(),
            )),
            Err(line) if scan.bom => Err(FileError::NotUtf8 { line }),
            Err(_) => {
                let bytes = std::fs::read(&scan.path).map_err(|e| unreadable(&scan.path, &e))?;
                let decoded = text::decode(&bytes, text::Encoding::Auto)?.into_owned();
                let first = decoded
                    .split(|&b| b == b'\n')
                    .next()
                    .unwrap_or(&[])
                    .to_vec();
                Ok((Text::Shared(decoded.into()), first))
            }
        }
    }

    /// The text from byte `offset` on.
    pub fn open_at(&self, offset: usize) -> Result<Box<dyn Read + Send + 'a>, FileError> {
        Ok(match self {
            Text::Borrowed(b) => Box::new(&b[offset.min(b.len())..]),
            Text::Shared(b) => Box::new(SharedCursor {
                data: b.clone(),
                pos: offset.min(b.len()),
            }),
            Text::File { path, skip, .. } => {
                let mut f = File::open(path).map_err(|e| unreadable(path, &e))?;
                f.seek(SeekFrom::Start(skip + offset as u64))
                    .map_err(|e| unreadable(path, &e))?;
                Box::new(f)
            }
        })
    }

    /// Line ends in the text, for a progress bar; `None` for a file (its scan counted them).
    pub fn count_lines(&self) -> Option<u64> {
        let b: &[u8] = match self {
            Text::Borrowed(b) => b,
            Text::Shared(b) => b,
            Text::File { .. } => return None,
        };
        Some(b.iter().filter(|&&c| c == b'\n').count() as u64)
    }

    /// Refuses a file that changed since it was scanned: its hash would not be what was read.
    pub fn check_unchanged(&self) -> Result<(), FileError> {
        let Text::File {
            path,
            size,
            modified,
            ..
        } = self
        else {
            return Ok(());
        };
        let meta = std::fs::metadata(path).map_err(|e| unreadable(path, &e))?;
        if meta.len() != *size || meta.modified().ok() != *modified {
            return Err(FileError::Unreadable {
                message: format!(
                    "{}: the file changed while it was read; import it again",
                    path.display()
                ),
            });
        }
        Ok(())
    }
}

struct SharedCursor {
    data: Arc<[u8]>,
    pos: usize,
}

impl Read for SharedCursor {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (&self.data[self.pos..]).read(buf)?;
        self.pos += n;
        Ok(n)
    }
}

/// A reader that keeps what it has read since the caller last said it was done with it: the
/// bytes a line count still has to look at. At most the reader's buffer plus one record.
pub(crate) struct Tee<'a> {
    inner: Box<dyn Read + Send + 'a>,
    window: Vec<u8>,
    /// The text offset of `window[0]`.
    start: usize,
}

impl<'a> Tee<'a> {
    pub fn new(inner: Box<dyn Read + Send + 'a>, start: usize) -> Self {
        Tee {
            inner,
            window: Vec::new(),
            start,
        }
    }

    /// The byte at text offset `at`, if it has been read and not forgotten.
    pub fn get(&self, at: usize) -> Option<u8> {
        at.checked_sub(self.start)
            .and_then(|i| self.window.get(i).copied())
    }

    /// Line ends among the bytes read at offsets `from..to`.
    pub fn newlines(&self, from: usize, to: usize) -> i64 {
        let len = self.window.len();
        let a = from.saturating_sub(self.start).min(len);
        let b = to.saturating_sub(self.start).min(len);
        self.window[a..b.max(a)]
            .iter()
            .filter(|&&c| c == b'\n')
            .count() as i64
    }

    /// Forgets the bytes before offset `at` (in steps, so that the window is not shifted for
    /// every record).
    pub fn forget_before(&mut self, at: usize) {
        let k = at.saturating_sub(self.start).min(self.window.len());
        if k >= BLOCK {
            self.window.drain(..k);
            self.start += k;
        }
    }
}

impl Read for Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.window.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

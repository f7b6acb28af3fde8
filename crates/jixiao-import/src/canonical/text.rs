//! From a file's bytes to UTF-8 text and a field delimiter: what Chinese Excel saves (GBK,
//! tab-separated "Unicode text") is read as well as "CSV UTF-8".

use std::borrow::Cow;

use encoding_rs::{DecoderResult, GB18030};

use super::FileError;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The character encoding of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// A UTF-8 byte-order mark or valid UTF-8 means UTF-8; anything else is read as GB18030.
    #[default]
    Auto,
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// GB18030, which includes GBK and GB2312 (Chinese Windows' "ANSI").
    Gb18030,
}

/// The field delimiter of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    /// A tab if the header line has more tabs than commas, else a comma.
    #[default]
    Auto,
    /// `,`
    Comma,
    /// A tab.
    Tab,
}

/// How to read a file; the default detects both encoding and delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOptions {
    /// The character encoding.
    pub encoding: Encoding,
    /// The field delimiter.
    pub delimiter: Delimiter,
}

/// The file as UTF-8 bytes without a byte-order mark: borrowed when it already is UTF-8, so
/// the common case copies nothing.
pub(crate) fn decode(bytes: &[u8], encoding: Encoding) -> Result<Cow<'_, [u8]>, FileError> {
    let utf8 = |b: &[u8]| -> Result<(), FileError> {
        std::str::from_utf8(b)
            .map(drop)
            .map_err(|e| FileError::NotUtf8 {
                line: line_of(b, e.valid_up_to()),
            })
    };
    match encoding {
        Encoding::Utf8 => {
            let b = bytes.strip_prefix(BOM).unwrap_or(bytes);
            utf8(b).map(|()| Cow::Borrowed(b))
        }
        Encoding::Gb18030 => gb18030(bytes).map_err(|line| FileError::NotGb18030 { line }),
        Encoding::Auto => {
            if let Some(b) = bytes.strip_prefix(BOM) {
                // A byte-order mark is a promise of UTF-8: do not second-guess it.
                return utf8(b).map(|()| Cow::Borrowed(b));
            }
            if std::str::from_utf8(bytes).is_ok() {
                return Ok(Cow::Borrowed(bytes));
            }
            gb18030(bytes).map_err(|line| FileError::UnknownEncoding { line })
        }
    }
}

/// A whole file as UTF-8 text, its encoding detected as [`Encoding::Auto`] does (UTF-8 with
/// or without a byte-order mark, else GB18030/GBK): for callers outside the canonical readers.
pub fn decode_text(bytes: &[u8]) -> Result<String, FileError> {
    let b = decode(bytes, Encoding::Auto)?;
    String::from_utf8(b.into_owned()).map_err(|_| FileError::UnknownEncoding { line: 1 })
}

/// Decodes GB18030, or returns the line of the first byte that is not GB18030.
fn gb18030(bytes: &[u8]) -> Result<Cow<'_, [u8]>, i64> {
    if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok(match text {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        });
    }
    // The slow path runs only to say where the file went wrong.
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    let at = match result {
        DecoderResult::Malformed(bad, after) => read - usize::from(bad) - usize::from(after),
        _ => read,
    };
    Err(line_of(bytes, at))
}

/// The 1-based line of byte offset `at`.
fn line_of(bytes: &[u8], at: usize) -> i64 {
    1 + bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as i64
}

/// The delimiter byte: as asked, or judged from the header line.
pub(crate) fn delimiter(text: &[u8], delimiter: Delimiter) -> u8 {
    match delimiter {
        Delimiter::Comma => b',',
        Delimiter::Tab => b'\t',
        Delimiter::Auto => {
            let header = text.split(|&b| b == b'\n').next().unwrap_or(text);
            let count = |d: u8| header.iter().filter(|&&b| b == d).count();
            if count(b'\t') > count(b',') {
                b'\t'
            } else {
                b','
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_input_is_borrowed_not_copied() {
        let bytes = "a,王\n".as_bytes();
        assert!(matches!(
            decode(bytes, Encoding::Auto),
            Ok(Cow::Borrowed(_))
        ));
        let bom = b"\xEF\xBB\xBFa\n";
        assert_eq!(decode(bom, Encoding::Auto).unwrap().as_ref(), b"a\n");
    }

    #[test]
    fn gbk_bytes_are_decoded_and_a_bad_byte_is_located() {
        let (gbk, _, _) = encoding_rs::GBK.encode("a,王先生\n");
        assert_eq!(
            decode(&gbk, Encoding::Auto).unwrap().as_ref(),
            "a,王先生\n".as_bytes()
        );
        assert_eq!(
            decode(b"a\nb\n\xFF\n", Encoding::Auto),
            Err(FileError::UnknownEncoding { line: 3 })
        );
        assert_eq!(
            decode(&gbk, Encoding::Utf8),
            Err(FileError::NotUtf8 { line: 1 })
        );
    }

    #[test]
    fn the_delimiter_is_the_more_frequent_of_tab_and_comma_in_the_header() {
        assert_eq!(delimiter(b"a\tb\tc\n1,2\t3", Delimiter::Auto), b'\t');
        assert_eq!(delimiter(b"a,b\tc\n", Delimiter::Auto), b',');
        assert_eq!(delimiter(b"a", Delimiter::Auto), b',');
        assert_eq!(delimiter(b"a\tb", Delimiter::Comma), b',');
    }
}

//! Cell text for the writers of the newer kinds, which write one `Vec<String>` per record
//! (they are small files; only the calls writer is tuned for millions of rows).

use chrono::{NaiveDate, NaiveDateTime};

use super::fields;

/// `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn datetime(t: NaiveDateTime) -> String {
    let mut buf = String::with_capacity(19);
    fields::write_datetime(&mut buf, t);
    buf
}

/// `YYYY-MM-DD HH:MM:SS`, or empty.
pub(crate) fn opt_datetime(t: Option<NaiveDateTime>) -> String {
    t.map(datetime).unwrap_or_default()
}

/// `YYYY-MM-DD`.
pub(crate) fn date(d: NaiveDate) -> String {
    let mut buf = String::with_capacity(10);
    fields::write_date(&mut buf, d);
    buf
}

/// `true` or `false`.
pub(crate) fn flag(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}

/// `true`, `false`, or empty.
pub(crate) fn opt_flag(b: Option<bool>) -> String {
    b.map(flag).unwrap_or_default()
}

/// Any displayable value, or empty.
pub(crate) fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

//! PostgreSQL's bulk upsert: `COPY` the chunk into a temporary table, then one
//! `INSERT … SELECT … ON CONFLICT` from it, in the import's transaction.
//!
//! `COPY` streams rows in PostgreSQL's text format with no per-row statement, no parameter
//! arrays and no `UNNEST`; a fresh load (no row of the records' sources existed when the import
//! began) copies straight into the table.

use std::fmt::Write as _;

use sqlx::postgres::PgConnection;

use super::sqlite_rows::{date_text, datetime_text};
use super::{BulkInsert, Col, Upserted};

/// Bytes per `CopyData` message: bounds the copy buffer whatever the chunk size.
const COPY_SEND_BYTES: usize = 1 << 20;

/// See the module doc.
pub(super) async fn upsert(
    conn: &mut PgConnection,
    spec: &BulkInsert<'_>,
    cols: &[Col],
    fresh: bool,
) -> Result<Upserted, sqlx::Error> {
    let n = cols.first().map_or(0, Col::len) as u64;
    let columns = spec.columns.join(", ");
    if fresh {
        copy_rows(conn, spec.table, &columns, cols).await?;
        return Ok(Upserted {
            affected: n,
            inserted: n,
        });
    }
    // Dropped at commit; kept (and emptied) between the chunks of one import.
    let tmp = format!("import_{}", spec.table);
    sqlx::query(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS {tmp} ON COMMIT DROP AS \
         SELECT {columns} FROM {} WITH NO DATA",
        spec.table
    ))
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!("TRUNCATE {tmp}"))
        .execute(&mut *conn)
        .await?;
    copy_rows(conn, &tmp, &columns, cols).await?;
    // `RETURNING (xmax = 0)` is true exactly for inserted rows (see `Dialect::bulk_upsert`).
    let (affected, inserted): (i64, i64) = sqlx::query_as(&format!(
        "WITH up AS (INSERT INTO {} ({columns}) SELECT {columns} FROM {tmp} {} \
         RETURNING (xmax = 0) AS inserted) \
         SELECT COUNT(*), COUNT(*) FILTER (WHERE inserted) FROM up",
        spec.table, spec.suffix
    ))
    .fetch_one(&mut *conn)
    .await?;
    Ok(Upserted {
        affected: u64::try_from(affected).unwrap_or(0),
        inserted: u64::try_from(inserted).unwrap_or(0),
    })
}

/// `COPY table (columns) FROM STDIN` with every row of `cols`: [`copy_chunks`] of one chunk.
pub(super) async fn copy_rows(
    conn: &mut PgConnection,
    table: &str,
    columns: &str,
    cols: &[Col],
) -> Result<(), sqlx::Error> {
    let mut once = Some(cols);
    copy_chunks(conn, table, columns, || {
        once.take().map(Ok::<_, sqlx::Error>)
    })
    .await?;
    Ok(())
}

/// One `COPY table (columns) FROM STDIN` with the rows of every chunk `next` yields, each
/// produced while the server stores the bytes of the one before (they sit in the socket's
/// buffers); returns the rows copied.
pub(super) async fn copy_chunks<C: AsRef<[Col]>, E: From<sqlx::Error>>(
    conn: &mut PgConnection,
    table: &str,
    columns: &str,
    mut next: impl FnMut() -> Option<Result<C, E>>,
) -> Result<u64, E> {
    let mut copy = conn
        .copy_in_raw(&format!("COPY {table} ({columns}) FROM STDIN"))
        .await?;
    let mut buf = String::with_capacity(COPY_SEND_BYTES + 4096);
    let mut scratch = String::with_capacity(32);
    let mut rows = 0;
    while let Some(cols) = next() {
        let cols = match cols {
            Ok(cols) => cols,
            Err(e) => {
                copy.abort("the rows could not be prepared").await?;
                return Err(e);
            }
        };
        let cols = cols.as_ref();
        let n = cols.first().map_or(0, Col::len);
        for r in 0..n {
            for (j, c) in cols.iter().enumerate() {
                if j > 0 {
                    buf.push('\t');
                }
                copy_value(&mut buf, &mut scratch, c, r);
            }
            buf.push('\n');
            if buf.len() >= COPY_SEND_BYTES {
                copy.send(std::mem::take(&mut buf).into_bytes()).await?;
                buf.reserve(COPY_SEND_BYTES + 4096);
            }
        }
        rows += n as u64;
    }
    if !buf.is_empty() {
        copy.send(buf.into_bytes()).await?;
    }
    copy.finish().await?;
    Ok(rows)
}

/// Row `r` of `col` in COPY's text format: `\N` for NULL, backslash escapes in text.
fn copy_value(out: &mut String, scratch: &mut String, col: &Col, r: usize) {
    const NULL: &str = "\\N";
    match col {
        Col::Text(v) => escape(out, &v[r]),
        Col::OptText(v) => match v[r].as_deref() {
            Some(s) => escape(out, s),
            None => out.push_str(NULL),
        },
        Col::Int(v) => {
            let _ = write!(out, "{}", v[r]);
        }
        Col::OptInt(v) => match v[r] {
            Some(i) => {
                let _ = write!(out, "{i}");
            }
            None => out.push_str(NULL),
        },
        Col::Bool(v) => out.push(if v[r] { 't' } else { 'f' }),
        Col::OptBool(v) => match v[r] {
            Some(b) => out.push(if b { 't' } else { 'f' }),
            None => out.push_str(NULL),
        },
        Col::Date(v) => {
            date_text(scratch, v[r]);
            out.push_str(scratch);
        }
        Col::Ts(v) => {
            datetime_text(scratch, v[r]);
            out.push_str(scratch);
        }
        Col::OptTs(v) => match v[r] {
            Some(t) => {
                datetime_text(scratch, t);
                out.push_str(scratch);
            }
            None => out.push_str(NULL),
        },
    }
}

/// Text with COPY's escapes for the characters that would end the field or the row.
fn escape(out: &mut String, s: &str) {
    if !s.contains(['\\', '\t', '\n', '\r']) {
        out.push_str(s);
        return;
    }
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

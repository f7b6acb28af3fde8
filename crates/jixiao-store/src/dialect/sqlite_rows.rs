//! SQLite's bulk upsert: one prepared statement, executed once per row, on the import
//! transaction's own connection handle.
//!
//! sqlx runs SQLite on a worker thread and sends it every statement with an owned copy of
//! every argument; at millions of rows that hand-off, not SQLite, was most of the write time
//! (docs/PERFORMANCE.md). Here sqlx's worker is parked (`SqliteConnection::lock_handle`) and
//! rusqlite drives the same `sqlite3*`, so the rows land in the same transaction, bound from the
//! chunk's columns by reference.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::{Connection, Statement};
use sqlx::sqlite::LockedSqliteHandle;

use super::{BulkInsert, Col, Upserted};

/// Runs `f` with a rusqlite connection on the locked handle: the same connection, inside
/// whatever transaction it is in. The only `unsafe` of the workspace.
#[allow(unsafe_code)]
fn with_connection<R>(
    handle: &mut LockedSqliteHandle<'_>,
    f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
) -> rusqlite::Result<R> {
    // SAFETY: the pointer is the open connection sqlx owns, and the lock parks sqlx's worker
    // until `handle` is dropped, which it cannot be before `conn` (dropped at the end of this
    // function) because `handle` is borrowed for the whole call. `from_handle` makes a
    // non-owning connection: dropping it never closes the database, and `f` finalizes its own
    // statements (it gets no `'static` access to `conn`).
    let conn = unsafe { Connection::from_handle(handle.as_raw_handle().as_ptr()) }?;
    f(&conn)
}

/// Inserts every row of `cols` into `spec.table`: a plain `INSERT` when `fresh` (no row of
/// the records' sources existed when the import began, so no key can conflict), otherwise with
/// `spec.suffix` (the upsert clause). New rows are counted by rowid, as in the sqlx path: an
/// insert takes `max(rowid) + 1`, an upsert's update keeps the rowid.
pub(super) fn upsert(
    handle: &mut LockedSqliteHandle<'_>,
    spec: &BulkInsert<'_>,
    cols: &[Col],
    fresh: bool,
) -> Result<Upserted, sqlx::Error> {
    with_connection(handle, |conn| {
        let n = cols.first().map_or(0, Col::len);
        let placeholders: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({}) {}",
            spec.table,
            spec.columns.join(", "),
            placeholders.join(","),
            if fresh { "" } else { spec.suffix }
        );
        let max_rowid = format!("SELECT COALESCE(MAX(rowid), 0) FROM {}", spec.table);
        let before: i64 = if fresh {
            0
        } else {
            conn.query_row(&max_rowid, [], |r| r.get(0))?
        };
        let mut stmt = conn.prepare(&sql)?;
        let mut text = String::with_capacity(32);
        let mut affected = 0u64;
        for r in 0..n {
            for (j, c) in cols.iter().enumerate() {
                bind(&mut stmt, j + 1, c, r, &mut text)?;
            }
            affected += stmt.raw_execute()? as u64;
        }
        let inserted = if fresh {
            affected
        } else {
            let count = format!("SELECT COUNT(*) FROM {} WHERE rowid > ?1", spec.table);
            conn.query_row(&count, [before], |r| r.get::<_, i64>(0))? as u64
        };
        Ok(Upserted { affected, inserted })
    })
    .map_err(|e| sqlx::Error::Protocol(format!("sqlite bulk write into {}: {e}", spec.table)))
}

/// Binds row `r` of `col` as parameter `i`, encoded as sqlx encodes it (dates and times as
/// text, booleans as 0/1), so that rows written here and by sqlx compare equal.
fn bind(
    stmt: &mut Statement<'_>,
    i: usize,
    col: &Col,
    r: usize,
    text: &mut String,
) -> rusqlite::Result<()> {
    match col {
        Col::Text(v) => stmt.raw_bind_parameter(i, v[r].as_str()),
        Col::OptText(v) => stmt.raw_bind_parameter(i, v[r].as_deref()),
        Col::Int(v) => stmt.raw_bind_parameter(i, v[r]),
        Col::OptInt(v) => stmt.raw_bind_parameter(i, v[r]),
        Col::Bool(v) => stmt.raw_bind_parameter(i, v[r]),
        Col::OptBool(v) => stmt.raw_bind_parameter(i, v[r]),
        Col::Date(v) => {
            date_text(text, v[r]);
            stmt.raw_bind_parameter(i, text.as_str())
        }
        Col::Ts(v) => {
            datetime_text(text, v[r]);
            stmt.raw_bind_parameter(i, text.as_str())
        }
        Col::OptTs(v) => match v[r] {
            Some(t) => {
                datetime_text(text, t);
                stmt.raw_bind_parameter(i, text.as_str())
            }
            None => stmt.raw_bind_parameter(i, rusqlite::types::Null),
        },
    }
}

/// `%F`, as sqlx writes a `NaiveDate`.
pub(super) fn date_text(out: &mut String, d: NaiveDate) {
    out.clear();
    let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
}

/// `%F %T%.f`, as sqlx writes a `NaiveDateTime` (no fraction when it is zero).
pub(super) fn datetime_text(out: &mut String, t: NaiveDateTime) {
    date_text(out, t.date());
    let _ = write!(out, " {:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    if t.nanosecond() != 0 {
        let _ = write!(out, "{}", t.format("%.f"));
    }
}

/// (employee, team, business type, the twelve measures).
pub(crate) type SumRow = (i64, i64, String, [i64; 12]);

/// A period's call sums (`tallies/call_sums.rs`): `sql` selects the employee, team, business
/// type and twelve integer measures of the period `?1`. Read through rusqlite on the locked
/// handle: sqlx decodes one row at a time through its worker thread, 0.18 s for the 40,000
/// rows of a month of 10,000 agents.
pub(crate) fn read_sums(
    handle: &mut LockedSqliteHandle<'_>,
    sql: &str,
    period: &str,
) -> Result<Vec<SumRow>, sqlx::Error> {
    with_connection(handle, |conn| {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([period], |r| {
            let mut m = [0i64; 12];
            for (i, v) in m.iter_mut().enumerate() {
                *v = r.get(3 + i)?;
            }
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, m))
        })?;
        rows.collect()
    })
    .map_err(|e| sqlx::Error::Protocol(format!("sqlite read of call sums: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_written_as_sqlx_writes_them() {
        let mut s = String::new();
        let d = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        date_text(&mut s, d);
        assert_eq!(s, d.format("%F").to_string());
        for t in [
            d.and_hms_opt(9, 5, 1).unwrap(),
            d.and_hms_milli_opt(23, 59, 59, 120).unwrap(),
            d.and_hms_nano_opt(0, 0, 0, 5).unwrap(),
        ] {
            datetime_text(&mut s, t);
            assert_eq!(s, t.format("%F %T%.f").to_string());
        }
    }
}

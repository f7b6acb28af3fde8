//! The few places where SQLite and PostgreSQL need different SQL: starting a write transaction,
//! locking the period rows an import depends on, serializing audit-chain appends, and bulk
//! inserts.
//!
//! Each is a method of [`Dialect`], implemented once per backend connection type, so the shared
//! bodies in `on_pool!` call `tx.bulk_insert(..)` and get the right one.

mod pg_copy;
mod sqlite_rows;

pub(crate) use sqlite_rows::read_sums;

use chrono::{NaiveDate, NaiveDateTime};
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// One column of a bulk insert, all rows' values of that column.
#[derive(Debug)]
pub(crate) enum Col {
    Text(Vec<String>),
    OptText(Vec<Option<String>>),
    Int(Vec<i64>),
    OptInt(Vec<Option<i64>>),
    Date(Vec<NaiveDate>),
    Ts(Vec<NaiveDateTime>),
    Bool(Vec<bool>),
    OptTs(Vec<Option<NaiveDateTime>>),
    OptBool(Vec<Option<bool>>),
}

impl Col {
    pub(crate) fn len(&self) -> usize {
        match self {
            Col::Text(v) => v.len(),
            Col::OptText(v) => v.len(),
            Col::Int(v) => v.len(),
            Col::OptInt(v) => v.len(),
            Col::Date(v) => v.len(),
            Col::Ts(v) => v.len(),
            Col::Bool(v) => v.len(),
            Col::OptTs(v) => v.len(),
            Col::OptBool(v) => v.len(),
        }
    }

    fn pg_array_type(&self) -> &'static str {
        match self {
            Col::Text(_) | Col::OptText(_) => "text[]",
            Col::Int(_) | Col::OptInt(_) => "bigint[]",
            Col::Date(_) => "date[]",
            Col::Ts(_) | Col::OptTs(_) => "timestamp[]",
            Col::Bool(_) | Col::OptBool(_) => "boolean[]",
        }
    }
}

/// What a bulk upsert did.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Upserted {
    /// Rows inserted or updated.
    pub affected: u64,
    /// Of those, rows inserted.
    pub inserted: u64,
}

/// A table's columns for a bulk insert, plus what follows the rows (an upsert clause or nothing).
pub(crate) struct BulkInsert<'a> {
    pub table: &'a str,
    pub columns: &'a [&'a str],
    pub suffix: &'a str,
}

/// SQLite allows at most 32 766 bound parameters per statement.
const SQLITE_MAX_PARAMS: usize = 32_766;
/// Rows per PostgreSQL statement: big enough to amortise the round trip, small enough to stream.
const PG_CHUNK_ROWS: usize = 10_000;

/// Backend-specific operations on a connection inside a transaction.
pub(crate) trait Dialect {
    /// Inserts all rows of `cols`, in chunks; returns the rows affected.
    async fn bulk_insert(
        &mut self,
        spec: &BulkInsert<'_>,
        cols: &[Col],
    ) -> Result<u64, sqlx::Error>;

    /// Inserts the rows of every chunk `next` yields (`spec` without a suffix); returns the
    /// rows inserted. PostgreSQL streams them through one `COPY`, so that the server stores a
    /// chunk while the next is prepared.
    async fn insert_chunks<E: From<sqlx::Error>>(
        &mut self,
        spec: &BulkInsert<'_>,
        mut next: impl FnMut() -> Option<Result<Vec<Col>, E>>,
    ) -> Result<u64, E> {
        let mut rows = 0;
        while let Some(cols) = next() {
            rows += self.bulk_insert(spec, &cols?).await?;
        }
        Ok(rows)
    }

    /// Locks the given period rows (which must exist) until the transaction ends and returns
    /// those that are closed.
    async fn lock_periods(&mut self, periods: &[String]) -> Result<Vec<String>, sqlx::Error>;

    /// Inserts all rows of `cols` with the upsert suffix, and also says how many rows were
    /// new, counted by the write itself (not by counting the table). `fresh` means no row of
    /// the records' sources existed when the import began (see [`Dialect::source_is_new`]):
    /// no key can conflict, so the rows are inserted without the upsert clause.
    async fn bulk_upsert(
        &mut self,
        spec: &BulkInsert<'_>,
        cols: &[Col],
        fresh: bool,
    ) -> Result<Upserted, sqlx::Error>;

    /// Whether `table` holds no record of `source`.
    async fn source_is_new(&mut self, table: &str, source: &str) -> Result<bool, sqlx::Error>;

    /// The periods, other than `to` and not closed, where rows of `table` with these keys are
    /// stored: the months that records now dated in `to` leave, whose cards they change too.
    async fn periods_left(
        &mut self,
        table: &str,
        keys: &[(&str, &str)],
        to: &str,
    ) -> Result<Vec<String>, sqlx::Error>;

    /// Serializes audit-chain appends until the transaction ends, so two writers cannot both
    /// link to the same last entry.
    async fn lock_audit_chain(&mut self) -> Result<(), sqlx::Error>;

    /// Before a large fresh load of `rows` records into `table`: drops the table's secondary
    /// (non-unique) indexes inside the transaction and returns the statements that build them
    /// again, which the import runs before it commits ([`Dialect::build_index`]). Nothing is
    /// dropped (and nothing returned) where building them anew would cost more than keeping
    /// them: a table already holding more rows than the load brings. PostgreSQL never drops:
    /// `DROP INDEX` would lock the table against every other instance's readers for the
    /// whole import.
    async fn defer_indexes(&mut self, table: &str, rows: u64) -> Result<Vec<String>, sqlx::Error>;

    /// Runs one of the statements [`Dialect::defer_indexes`] returned.
    async fn build_index(&mut self, sql: &str) -> Result<(), sqlx::Error>;
}

/// Key of the PostgreSQL advisory lock that serializes audit-chain appends across instances.
const AUDIT_CHAIN_LOCK: i64 = 0x4a49_5841_4f41_5544; // "JIXAOAUD"

/// Starts a transaction that will write.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    async fn begin_write(&self) -> Result<Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Db = Sqlite;
    /// `BEGIN IMMEDIATE` takes the write lock up front: a deferred transaction that reads first
    /// and writes later can fail with SQLITE_BUSY instead of waiting for the busy timeout.
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Db = Postgres;
    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.begin().await
    }
}

impl Dialect for SqliteConnection {
    /// Multi-row `VALUES` with `?` placeholders, as many rows per statement as the parameter
    /// limit allows; full chunks share one SQL text and so one cached prepared statement.
    async fn bulk_insert(
        &mut self,
        spec: &BulkInsert<'_>,
        cols: &[Col],
    ) -> Result<u64, sqlx::Error> {
        let n = cols.first().map_or(0, Col::len);
        // As many rows as the parameter limit allows, to pay the per-statement cost (a trip to
        // sqlx's SQLite worker thread, a statement reset) as rarely as possible. Every full
        // chunk uses the same SQL text, built once, so sqlx reuses one prepared statement.
        let per_chunk = (SQLITE_MAX_PARAMS / spec.columns.len().max(1)).max(1);
        let full_sql = sqlite_insert_sql(spec, per_chunk.min(n));
        let mut affected = 0;
        let mut start = 0;
        while start < n {
            let end = (start + per_chunk).min(n);
            let tail_sql;
            let sql = if end - start == per_chunk.min(n) {
                full_sql.as_str()
            } else {
                tail_sql = sqlite_insert_sql(spec, end - start);
                tail_sql.as_str()
            };
            let mut q = sqlx::query::<Sqlite>(sql);
            for r in start..end {
                for c in cols {
                    q = match c {
                        Col::Text(v) => q.bind(v[r].as_str()),
                        Col::OptText(v) => q.bind(v[r].as_deref()),
                        Col::Int(v) => q.bind(v[r]),
                        Col::OptInt(v) => q.bind(v[r]),
                        Col::Date(v) => q.bind(v[r]),
                        Col::Ts(v) => q.bind(v[r]),
                        Col::Bool(v) => q.bind(v[r]),
                        Col::OptTs(v) => q.bind(v[r]),
                        Col::OptBool(v) => q.bind(v[r]),
                    };
                }
            }
            affected += q.execute(&mut *self).await?.rows_affected();
            start = end;
        }
        Ok(affected)
    }

    /// An IMMEDIATE transaction already holds SQLite's single write lock, which excludes every
    /// other writer (including a close), so reading the status is enough.
    async fn lock_periods(&mut self, periods: &[String]) -> Result<Vec<String>, sqlx::Error> {
        let closed: Vec<(String,)> =
            sqlx::query_as("SELECT period FROM periods WHERE status = 'closed' ORDER BY period")
                .fetch_all(&mut *self)
                .await?;
        Ok(closed
            .into_iter()
            .map(|(p,)| p)
            .filter(|p| periods.contains(p))
            .collect())
    }

    /// One prepared statement executed per row on the connection's own handle (see
    /// `sqlite_rows`). New rows are the rows whose rowid exceeds the largest rowid before the
    /// chunk: SQLite gives an inserted row `max(rowid) + 1` until the largest possible rowid
    /// (2^63 - 1) is taken, which these tables never reach, and an upsert's `DO UPDATE` keeps the
    /// rowid. Both lookups walk only the rowid B-tree's right edge and the new rows, so the cost
    /// does not grow with the table. Exact, because the IMMEDIATE transaction holds SQLite's
    /// single write lock.
    async fn bulk_upsert(
        &mut self,
        spec: &BulkInsert<'_>,
        cols: &[Col],
        fresh: bool,
    ) -> Result<Upserted, sqlx::Error> {
        let mut handle = self.lock_handle().await?;
        sqlite_rows::upsert(&mut handle, spec, cols, fresh)
    }

    async fn source_is_new(&mut self, table: &str, source: &str) -> Result<bool, sqlx::Error> {
        let (new,): (bool,) = sqlx::query_as(&source_is_new_sql(table))
            .bind(source)
            .fetch_one(&mut *self)
            .await?;
        Ok(new)
    }

    async fn periods_left(
        &mut self,
        table: &str,
        keys: &[(&str, &str)],
        to: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        // One JSON array of [source, id] pairs, the list as the outer loop: one probe of the
        // unique key per entry (as the call sums read stored calls).
        let pairs = serde_json::to_string(keys).unwrap_or_default();
        let sql = format!(
            "SELECT DISTINCT t.period FROM json_each($1) k CROSS JOIN {table} t \
             ON t.source = json_extract(k.value, '$[0]') \
             AND t.record_id = json_extract(k.value, '$[1]') \
             WHERE t.period <> $2 AND {NOT_CLOSED}"
        );
        let rows: Vec<(String,)> = sqlx::query_as(&sql)
            .bind(pairs)
            .bind(to)
            .fetch_all(&mut *self)
            .await?;
        Ok(rows.into_iter().map(|(p,)| p).collect())
    }

    /// An IMMEDIATE transaction (see [`BeginWrite`]) already holds SQLite's single write lock.
    async fn lock_audit_chain(&mut self) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// SQLite's DDL is transactional: a killed or refused import rolls the drop back with
    /// its rows. Appending to the rowid and the unique key and sorting each secondary index
    /// once afterwards (`PRAGMA threads`: the sorter may use the second core) is several
    /// times faster than keeping indexes up to date row by row in random order once they
    /// outgrow the page cache (docs/PERFORMANCE.md). The indexes are read back from
    /// `sqlite_master` so the rebuild is exactly what the migrations made.
    async fn defer_indexes(&mut self, table: &str, rows: u64) -> Result<Vec<String>, sqlx::Error> {
        // The largest rowid bounds the rows held from above: one probe of the rowid B-tree.
        let held_sql = format!("SELECT COALESCE(MAX(rowid), 0) FROM {table}");
        let (held,): (i64,) = sqlx::query_as(&held_sql).fetch_one(&mut *self).await?;
        if u64::try_from(held).unwrap_or(u64::MAX) > rows {
            return Ok(Vec::new());
        }
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 \
             AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
        )
        .bind(table)
        .fetch_all(&mut *self)
        .await?;
        let (names, build): (Vec<String>, Vec<String>) = indexes.into_iter().unzip();
        for name in names {
            let drop = format!("DROP INDEX \"{name}\"");
            sqlx::query(&drop)
                .persistent(false)
                .execute(&mut *self)
                .await?;
        }
        if !build.is_empty() {
            sqlx::query("PRAGMA threads = 2")
                .execute(&mut *self)
                .await?;
        }
        Ok(build)
    }

    async fn build_index(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql)
            .persistent(false)
            .execute(&mut *self)
            .await?;
        Ok(())
    }
}

/// `INSERT INTO t (…) VALUES (?,…),… <suffix>` with `rows` rows of placeholders.
fn sqlite_insert_sql(spec: &BulkInsert<'_>, rows: usize) -> String {
    let row = format!("({})", vec!["?"; spec.columns.len()].join(","));
    format!(
        "INSERT INTO {} ({}) VALUES {} {}",
        spec.table,
        spec.columns.join(", "),
        vec![row.as_str(); rows].join(","),
        spec.suffix
    )
}

/// Binds rows `start..end` of every column as one array parameter each.
macro_rules! bind_pg_chunk {
    ($query:expr, $cols:expr, $start:expr, $end:expr) => {{
        let mut q = $query;
        for c in $cols {
            q = match c {
                Col::Text(v) => q.bind(&v[$start..$end]),
                Col::OptText(v) => q.bind(&v[$start..$end]),
                Col::Int(v) => q.bind(&v[$start..$end]),
                Col::OptInt(v) => q.bind(&v[$start..$end]),
                Col::Date(v) => q.bind(&v[$start..$end]),
                Col::Ts(v) => q.bind(&v[$start..$end]),
                Col::Bool(v) => q.bind(&v[$start..$end]),
                Col::OptTs(v) => q.bind(&v[$start..$end]),
                Col::OptBool(v) => q.bind(&v[$start..$end]),
            };
        }
        q
    }};
}

/// Rows from which a plain PostgreSQL bulk insert is a `COPY` instead of `UNNEST` arrays.
const PG_COPY_MIN_ROWS: usize = 1_000;

/// `INSERT … SELECT * FROM UNNEST($1::type[], …) <suffix>` for PostgreSQL.
fn pg_insert_sql(spec: &BulkInsert<'_>, cols: &[Col]) -> String {
    let unnest: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| format!("${}::{}", i + 1, c.pg_array_type()))
        .collect();
    format!(
        "INSERT INTO {} ({}) SELECT * FROM UNNEST({}) {}",
        spec.table,
        spec.columns.join(", "),
        unnest.join(", "),
        spec.suffix
    )
}

impl Dialect for PgConnection {
    /// One array parameter per column, expanded by `UNNEST`: a constant, small statement
    /// whatever the number of rows, instead of tens of thousands of parameters.
    async fn bulk_insert(
        &mut self,
        spec: &BulkInsert<'_>,
        cols: &[Col],
    ) -> Result<u64, sqlx::Error> {
        let n = cols.first().map_or(0, Col::len);
        // Many rows with nothing to resolve on conflict: COPY streams them (a period's
        // scorecards, 10,000 card JSONs, took a second as UNNEST arrays).
        if spec.suffix.is_empty() && n >= PG_COPY_MIN_ROWS {
            pg_copy::copy_rows(self, spec.table, &spec.columns.join(", "), cols).await?;
            return Ok(n as u64);
        }
        let sql = pg_insert_sql(spec, cols);
        let mut affected = 0;
        let mut start = 0;
        while start < n {
            let end = (start + PG_CHUNK_ROWS).min(n);
            let q = bind_pg_chunk!(sqlx::query::<Postgres>(&sql), cols, start, end);
            affected += q.execute(&mut *self).await?.rows_affected();
            start = end;
        }
        Ok(affected)
    }

    async fn insert_chunks<E: From<sqlx::Error>>(
        &mut self,
        spec: &BulkInsert<'_>,
        next: impl FnMut() -> Option<Result<Vec<Col>, E>>,
    ) -> Result<u64, E> {
        debug_assert!(spec.suffix.is_empty(), "COPY has no conflict clause");
        pg_copy::copy_chunks(self, spec.table, &spec.columns.join(", "), next).await
    }

    /// `FOR UPDATE` on the period rows: a concurrent close of one of these periods (an UPDATE of
    /// the same row on another instance) waits until this import commits, and this import waits
    /// for a close in flight and then sees the period closed. Rows are locked in period order
    /// so two imports cannot deadlock.
    async fn lock_periods(&mut self, periods: &[String]) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT period, status FROM periods WHERE period = ANY($1) ORDER BY period FOR UPDATE",
        )
        .bind(periods)
        .fetch_all(&mut *self)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|(_, s)| s == "closed")
            .map(|(p, _)| p)
            .collect())
    }

    /// `COPY` into a temporary table, then one `INSERT … SELECT … ON CONFLICT` (see
    /// `pg_copy`). `RETURNING (xmax = 0)` is true exactly for the rows the statement inserted
    /// (an updated row has the updating transaction in `xmax`); an identical row the `WHERE` of
    /// the upsert skipped is not returned at all. Counted per statement, so concurrent imports
    /// on other instances cannot skew it.
    async fn bulk_upsert(
        &mut self,
        spec: &BulkInsert<'_>,
        cols: &[Col],
        fresh: bool,
    ) -> Result<Upserted, sqlx::Error> {
        pg_copy::upsert(self, spec, cols, fresh).await
    }

    async fn source_is_new(&mut self, table: &str, source: &str) -> Result<bool, sqlx::Error> {
        let (new,): (bool,) = sqlx::query_as(&source_is_new_sql(table))
            .bind(source)
            .fetch_one(&mut *self)
            .await?;
        Ok(new)
    }

    async fn periods_left(
        &mut self,
        table: &str,
        keys: &[(&str, &str)],
        to: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        // Arrays of at most PG_CHUNK_ROWS keys; `LATERAL … OFFSET 0` probes the unique key
        // once per entry, statistics or not (see `tallies/call_sums.rs`).
        let sql = format!(
            "SELECT DISTINCT t.period FROM UNNEST($1::text[], $2::text[]) AS k(source, record_id) \
             CROSS JOIN LATERAL (SELECT period FROM {table} x \
             WHERE x.source = k.source AND x.record_id = k.record_id OFFSET 0) t \
             WHERE t.period <> $3 AND {NOT_CLOSED}"
        );
        let mut left = std::collections::BTreeSet::new();
        for part in keys.chunks(PG_CHUNK_ROWS) {
            let (sources, ids): (Vec<&str>, Vec<&str>) = part.iter().copied().unzip();
            let rows: Vec<(String,)> = sqlx::query_as(&sql)
                .bind(sources)
                .bind(ids)
                .bind(to)
                .fetch_all(&mut *self)
                .await?;
            left.extend(rows.into_iter().map(|(p,)| p));
        }
        Ok(left.into_iter().collect())
    }

    /// A transaction-scoped advisory lock: held until commit or rollback, so the next appender
    /// (on any instance) reads the last entry only after this one's entry is committed.
    async fn lock_audit_chain(&mut self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_CHAIN_LOCK)
            .execute(&mut *self)
            .await?;
        Ok(())
    }

    async fn defer_indexes(
        &mut self,
        _table: &str,
        _rows: u64,
    ) -> Result<Vec<String>, sqlx::Error> {
        Ok(Vec::new())
    }

    /// Never called: nothing is deferred on PostgreSQL.
    async fn build_index(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql)
            .persistent(false)
            .execute(&mut *self)
            .await?;
        Ok(())
    }
}

/// A stored row's period is not closed (a row stored in a closed period is never modified).
const NOT_CLOSED: &str =
    "NOT EXISTS (SELECT 1 FROM periods p WHERE p.period = t.period AND p.status = 'closed')";

/// `NOT EXISTS` one row of `source`: one probe of the unique (source, record_id) index.
fn source_is_new_sql(table: &str) -> String {
    format!("SELECT NOT EXISTS (SELECT 1 FROM {table} WHERE source = $1)")
}

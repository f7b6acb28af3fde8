//! Writing an import: one transaction holding the lineage row, its rejects and the records.
//!
//! The records arrive in chunks ([`RecordChunks`]: a file parsed chunk by chunk, or a whole
//! batch as one chunk), each resolved and written before the next is read, so memory does not
//! grow with the file. Records are upserted on (source, record_id): identical content is left
//! untouched (the `DO UPDATE … WHERE` finds nothing different), different content replaces the
//! row; a source with no row in the table when the import began is inserted without the upsert.
//! Records dated in a closed period never reach the table; they come back as rejects.
//! Records whose agent is neither an employee number nor an alias of their source are held in
//! `held_records` in the same transaction (see `aliases`), never rejected or dropped.
//! A strict import writes inside a savepoint and rolls it back at its first reject.

mod resolve;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use jixiao_core::Period;
use jixiao_core::record::Reject;

use serde::Serialize;

use crate::aliases::{HeldWrites, settle_held};
use crate::dialect::{BeginWrite, BulkInsert, Col, Dialect};
use crate::kinds::Kind;
use crate::tallies::{SumsConn, Tracker};
use crate::{
    ImportMode, ImportOutcome, ImportProgress, ImportStage, ImportStatus, NewImport, RecordBatch,
    Store, StoreError,
};
use resolve::{Chunk, Resolved};

/// An import expecting at least this many records, into a table of one of its sources that
/// holds no more rows than that, drops the table's secondary indexes and builds them again
/// before it commits ([`Dialect::defer_indexes`]; SQLite only). Below it the indexes fit the
/// page cache and keeping them up to date costs little.
pub(crate) const DEFER_INDEXES_ROWS: u64 = 100_000;

/// Records per write statement batch: progress is reported after each, and only one such
/// batch's columns are in memory at a time. All are in the import's one transaction.
const WRITE_CHUNK_ROWS: usize = 20_000;

/// Where an import's records come from, in file order: a file parsed chunk by chunk, or a
/// whole batch as one chunk ([`RecordChunks::whole`]).
///
/// A key repeated *across* chunks must already be a reject of the source (the canonical
/// parser keeps the first row and rejects the later ones); within one chunk the store keeps
/// the last row.
pub trait RecordChunks {
    /// The next chunk, `None` after the last. An error means the source cannot be read on:
    /// the import is abandoned and nothing of it is recorded.
    fn next_chunk(&mut self) -> Result<Option<Cow<'_, RecordBatch>>, String>;

    /// How many records to expect in all, for the progress total; an estimate.
    fn records_hint(&self) -> u64;

    /// The data rows read in all, once every chunk is read, if the source counts them (the
    /// import's `rows_total` is then updated to it).
    fn rows_total(&self) -> Option<i64> {
        None
    }
}

/// A whole batch as one chunk.
pub struct WholeBatch<'a>(Option<&'a RecordBatch>, u64);

impl<'a> WholeBatch<'a> {
    /// `batch` as a source of one chunk.
    pub fn new(batch: &'a RecordBatch) -> Self {
        WholeBatch(Some(batch), records_in(batch) as u64)
    }
}

impl RecordChunks for WholeBatch<'_> {
    fn next_chunk(&mut self) -> Result<Option<Cow<'_, RecordBatch>>, String> {
        Ok(self.0.take().map(Cow::Borrowed))
    }

    fn records_hint(&self) -> u64 {
        self.1
    }
}

/// Records of every kind in `batch`.
fn records_in(batch: &RecordBatch) -> usize {
    batch.calls.len()
        + batch.surveys.len()
        + batch.qa.len()
        + batch.tickets.len()
        + batch.chats.len()
        + batch.orders.len()
        + batch.attendance.len()
        + batch.work.len()
}

/// `ON CONFLICT … DO UPDATE` that changes a row only when its content differs and never when
/// the stored row lies in a closed period (its date may differ from the new record's).
fn upsert_suffix(table: &str, columns: &[&str]) -> String {
    let content: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !matches!(*c, "source" | "record_id" | "import_id"))
        .collect();
    // The right-hand sides read the row as it was, so the replaced version's import is kept:
    // the log of what each import changed (see `replaced.rs`).
    let set: Vec<String> = content
        .iter()
        .chain(&["import_id"])
        .map(|c| format!("{c} = excluded.{c}"))
        .chain([format!("previous_import_id = {table}.import_id")])
        .collect();
    let differs: Vec<String> = content
        .iter()
        .map(|c| format!("{table}.{c} IS DISTINCT FROM excluded.{c}"))
        .collect();
    format!(
        "ON CONFLICT (source, record_id) DO UPDATE SET {} WHERE ({}) AND {table}.period NOT IN \
         (SELECT period FROM periods WHERE status = 'closed')",
        set.join(", "),
        differs.join(" OR ")
    )
}

/// Counts from upserting, summed over kinds and chunks.
#[derive(Default)]
struct Written {
    inserted: i64,
    affected: i64,
    total: i64,
    touched: BTreeSet<String>,
    /// Records held for an unknown agent.
    held: i64,
}

/// Counts the records handled so far and reports them, once per statement batch.
struct Meter<'p, P> {
    progress: &'p P,
    done: u64,
    total: u64,
}

impl<P: Fn(ImportProgress)> Meter<'_, P> {
    fn advance(&mut self, rows: usize) {
        self.done += rows as u64;
        // The total is an estimate: never report more done than total.
        self.total = self.total.max(self.done);
        self.report();
    }

    fn report(&self) {
        (self.progress)(ImportProgress {
            stage: ImportStage::Writing,
            done: self.done,
            total: self.total,
        });
    }
}

/// What an import has found and written so far, across its chunks.
struct Run<'p, P> {
    import_id: i64,
    strict: bool,
    rejects: Vec<Reject>,
    /// Periods made sure of and checked, and those of them that are closed.
    periods: BTreeSet<String>,
    closed: Vec<String>,
    /// Per (table, source): no row of it existed when the import began.
    fresh: HashMap<(&'static str, String), bool>,
    written: Written,
    calls_seen: bool,
    meter: Meter<'p, P>,
    /// The difference the calls written make to the call sums.
    sums: Tracker,
    /// Tables whose secondary indexes were considered for deferring (once each).
    deferral_considered: BTreeSet<&'static str>,
    /// The statements that build again the indexes dropped, run before the commit.
    indexes_to_build: Vec<String>,
    defer_rows: u64,
}

impl<P: Fn(ImportProgress)> Run<'_, P> {
    /// A strict import stops writing at its first reject (and rolls back what it wrote).
    fn refused(&self) -> bool {
        self.strict && !self.rejects.is_empty()
    }

    /// Writes a resolved chunk (unless refused) and moves the meter past all its records.
    async fn write<C: Dialect + HeldWrites + SumsConn>(
        &mut self,
        conn: &mut C,
        chunk: &Chunk<'_>,
        records: usize,
    ) -> Result<(), sqlx::Error> {
        let start = self.meter.done;
        if !self.refused() {
            let before = if chunk.calls.len() == 0 {
                None
            } else {
                let fresh = self.fresh(conn, &chunk.calls).await?;
                let calls = chunk
                    .calls
                    .by_period
                    .values()
                    .flatten()
                    .map(|i| {
                        (
                            i.rec.source.clone(),
                            i.rec.record_id.clone(),
                            i.rec.customer_id.clone(),
                        )
                    })
                    .collect();
                self.sums.before(conn, calls, fresh).await?
            };
            self.write_kind(conn, &chunk.calls).await?;
            if let Some(before) = before {
                self.sums.after(conn, before).await?;
            }
            self.write_kind(conn, &chunk.surveys).await?;
            self.write_kind(conn, &chunk.qa).await?;
            self.write_kind(conn, &chunk.tickets).await?;
            self.write_kind(conn, &chunk.chats).await?;
            self.write_kind(conn, &chunk.orders).await?;
            self.write_kind(conn, &chunk.attendance).await?;
            self.write_kind(conn, &chunk.work).await?;
        }
        // Held, rejected and refused records count as handled too.
        let written = (self.meter.done - start) as usize;
        self.meter.advance(records.saturating_sub(written));
        Ok(())
    }

    /// Whether every source of the chunk's records was new when first seen in this import.
    async fn fresh<C: Dialect, T: Kind>(
        &mut self,
        conn: &mut C,
        resolved: &Resolved<'_, T>,
    ) -> Result<bool, sqlx::Error> {
        let mut fresh = true;
        let mut last = None;
        for item in resolved.by_period.values().flatten() {
            let source = item.rec.key().0;
            if last == Some(source) {
                continue;
            }
            last = Some(source);
            let key = (T::TABLE, source.to_string());
            let f = match self.fresh.get(&key) {
                Some(&f) => f,
                None => {
                    let f = conn.source_is_new(T::TABLE, source).await?;
                    self.fresh.insert(key, f);
                    f
                }
            };
            fresh &= f;
        }
        Ok(fresh)
    }

    /// Upserts one kind's records, period by period so that rows affected tell which periods
    /// changed, in statements of [`WRITE_CHUNK_ROWS`].
    async fn write_kind<C: Dialect + HeldWrites, T: Kind + Serialize>(
        &mut self,
        conn: &mut C,
        resolved: &Resolved<'_, T>,
    ) -> Result<(), sqlx::Error> {
        self.written.held +=
            settle_held(conn, &resolved.held, &resolved.by_period, self.import_id).await?;
        if resolved.len() == 0 {
            return Ok(());
        }
        let fresh = self.fresh(conn, resolved).await?;
        // Only once a fresh source is known: reads this import makes of a known source's
        // stored rows (the call sums' customer windows) would need the indexes. Those reads
        // stop at the first fresh chunk (see `Tracker::before`) and never start after it.
        if fresh && self.meter.total >= self.defer_rows && self.deferral_considered.insert(T::TABLE)
        {
            let build = conn.defer_indexes(T::TABLE, self.meter.total).await?;
            self.indexes_to_build.extend(build);
        }
        let w = &mut self.written;
        let suffix = upsert_suffix(T::TABLE, T::COLUMNS);
        let spec = BulkInsert {
            table: T::TABLE,
            columns: T::COLUMNS,
            suffix: &suffix,
        };
        for (period, items) in &resolved.by_period {
            for chunk in items.chunks(WRITE_CHUNK_ROWS) {
                // A stored version dated in another open month is replaced (its period
                // differs), so that month changes too: a correction moving a call from
                // October to November makes October's cards stale as well.
                let left = if fresh {
                    Vec::new()
                } else {
                    let keys: Vec<(&str, &str)> = chunk.iter().map(|i| i.rec.key()).collect();
                    conn.periods_left(T::TABLE, &keys, period).await?
                };
                let cols: Vec<Col> = T::columns(chunk, self.import_id);
                let done = conn.bulk_upsert(&spec, &cols, fresh).await?;
                if done.affected > 0 {
                    w.touched.insert(period.clone());
                }
                w.touched.extend(left);
                w.affected += i64::try_from(done.affected).unwrap_or(i64::MAX);
                w.inserted += i64::try_from(done.inserted).unwrap_or(i64::MAX);
                w.total += chunk.len() as i64;
                self.meter.advance(chunk.len());
            }
        }
        Ok(())
    }
}

impl Store {
    /// Writes an import atomically: the import row, its rejects, and the records. Records whose
    /// (source, record_id) exists with identical content are unchanged; with different content
    /// they replace the old row. Records dated in a closed period are not written and come back
    /// as rejects. Returns the outcome, including the periods touched.
    ///
    /// A key repeated within the batch keeps its last row (the earlier ones are rejects). A row
    /// whose stored version lies in a closed period is never modified; if the new version is
    /// dated in an open period it counts as unchanged.
    ///
    /// A strict import ([`ImportMode::Strict`]) with any reject, parse or store stage, writes no
    /// record: it is recorded with status [`ImportStatus::Refused`] and its full reject report.
    pub async fn write_import(
        &self,
        import: &NewImport,
        batch: &RecordBatch,
    ) -> Result<ImportOutcome, StoreError> {
        self.write_import_reporting(import, batch, &|_| {}).await
    }

    /// [`Store::write_import`], reporting the writing stage to `progress` after each statement
    /// batch of records (all in the one transaction): done counts records handled, total the
    /// records of the batch.
    pub async fn write_import_reporting(
        &self,
        import: &NewImport,
        batch: &RecordBatch,
        progress: &impl Fn(ImportProgress),
    ) -> Result<ImportOutcome, StoreError> {
        let mut whole = WholeBatch::new(batch);
        Ok(self
            .write_import_chunks(import, &mut whole, progress)
            .await?
            .0)
    }

    /// [`Store::write_import_reporting`] with the records read chunk by chunk from `chunks`,
    /// each written before the next is read. Also says whether any call record was read.
    pub(crate) async fn write_import_chunks(
        &self,
        import: &NewImport,
        chunks: &mut impl RecordChunks,
        progress: &impl Fn(ImportProgress),
    ) -> Result<(ImportOutcome, bool), StoreError> {
        // Read before the transaction: an in-memory SQLite store has a single connection.
        let employees = self.agent_index().await?;
        let thresholds = self.kpi_thresholds().await?;
        let types: HashSet<String> = self
            .business_types()
            .await?
            .into_iter()
            .map(|b| b.code.as_str().to_string())
            .collect();
        let mut run = Run {
            import_id: 0,
            strict: import.mode == ImportMode::Strict,
            rejects: Vec::new(),
            periods: BTreeSet::new(),
            closed: Vec::new(),
            fresh: HashMap::new(),
            written: Written::default(),
            calls_seen: false,
            sums: Tracker::new(thresholds),
            deferral_considered: BTreeSet::new(),
            indexes_to_build: Vec::new(),
            defer_rows: self.defer_indexes_rows,
            meter: Meter {
                progress,
                done: 0,
                total: chunks.records_hint(),
            },
        };
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            // Before any read of the calls: imports keep the call sums one at a time.
            tx.lock_sums().await?;
            let (import_id,): (i64,) = sqlx::query_as(
                "INSERT INTO imports (kind, file_name, file_hash, file_size, rows_total, \
                 imported_by, imported_at, mode, profile) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(&import.kind)
            .bind(&import.file_name)
            .bind(&import.file_hash)
            .bind(import.file_size)
            .bind(import.rows_total)
            .bind(&import.imported_by)
            .bind(import.imported_at)
            .bind(import.mode.as_str())
            .bind(&import.profile)
            .fetch_one(&mut *tx)
            .await?;
            run.import_id = import_id;
            run.meter.report();
            // Records and the periods they create live in a savepoint, so that a strict
            // import can drop them at its first reject and still record itself.
            let mut records = sqlx::Connection::begin(&mut *tx).await?;
            while let Some(batch) = chunks.next_chunk().map_err(StoreError::Source)? {
                run.rejects.extend(batch.rejects.iter().cloned());
                run.calls_seen |= !batch.calls.is_empty();
                let mut chunk = Chunk::new(&batch, &employees, &types, &mut run.rejects);
                let new: Vec<String> =
                    chunk.periods().into_iter().filter(|p| !run.periods.contains(p)).collect();
                for period in &new {
                    sqlx::query(crate::periods::ENSURE_PERIOD)
                        .bind(period)
                        .execute(&mut *records)
                        .await?;
                }
                // Checked inside the transaction, with the period rows locked (see
                // lock_periods), so a close on another instance cannot slip in between this
                // check and the commit.
                if !new.is_empty() {
                    run.closed.extend(records.lock_periods(&new).await?);
                    run.periods.extend(new);
                }
                chunk.reject_closed(&run.closed, &mut run.rejects);
                run.write(&mut *records, &chunk, records_in(&batch)).await?;
            }
            run.meter.total = run.meter.done;
            run.meter.report();
            let status = if run.refused() {
                records.rollback().await?;
                run.written = Written::default();
                ImportStatus::Refused
            } else {
                // A refused import's rollback above restores the dropped indexes with the rest.
                let build = std::mem::take(&mut run.indexes_to_build);
                for (i, sql) in build.iter().enumerate() {
                    progress(ImportProgress {
                        stage: ImportStage::Indexing,
                        done: i as u64,
                        total: build.len() as u64,
                    });
                    records.build_index(sql).await?;
                }
                records.commit().await?;
                ImportStatus::Done
            };

            let mut rejects = std::mem::take(&mut run.rejects);
            rejects.sort_by_key(|r| r.row);
            let reject_cols = vec![
                Col::Int(vec![import_id; rejects.len()]),
                Col::Int(rejects.iter().map(|r| r.row).collect()),
                Col::Text(rejects.iter().map(|r| r.column.clone()).collect()),
                Col::Text(rejects.iter().map(|r| r.value.clone()).collect()),
                Col::Text(rejects.iter().map(|r| r.reason.clone()).collect()),
            ];
            let spec = BulkInsert {
                table: "import_rejects",
                columns: &["import_id", "row_no", "column_name", "value", "reason"],
                suffix: "",
            };
            tx.bulk_insert(&spec, &reject_cols).await?;

            let w = std::mem::take(&mut run.written);
            let outcome = ImportOutcome {
                import_id,
                inserted: w.inserted,
                replaced: w.affected - w.inserted,
                unchanged: w.total - w.affected,
                rejects,
                periods_touched: w
                    .touched
                    .iter()
                    .map(|p| p.parse::<Period>())
                    .collect::<Result<_, _>>()?,
                status,
                held: w.held,
            };
            sqlx::query(
                "UPDATE imports SET inserted = $1, replaced = $2, unchanged = $3, rejected = $4, \
                 status = $5, held = $7, rows_total = COALESCE($8, rows_total) WHERE id = $6",
            )
            .bind(outcome.inserted)
            .bind(outcome.replaced)
            .bind(outcome.unchanged)
            .bind(outcome.rejects.len() as i64)
            .bind(status.as_str())
            .bind(import_id)
            .bind(outcome.held)
            .bind(chunks.rows_total())
            .execute(&mut *tx)
            .await?;
            // The call sums of periods that were current take this import's difference, and
            // their new basis once the revisions below are bumped.
            let current = if status == ImportStatus::Done {
                run.sums.apply(&mut *tx, &w.touched).await?
            } else {
                Vec::new()
            };
            for period in &w.touched {
                // Lets a close that computed before this import notice it is stale.
                sqlx::query("UPDATE periods SET revision = revision + 1 WHERE period = $1")
                    .bind(period)
                    .execute(&mut *tx)
                    .await?;
            }
            run.sums.finish(&mut *tx, &current).await?;
            tx.commit().await?;
            Ok((outcome, run.calls_seen))
        })
    }
}

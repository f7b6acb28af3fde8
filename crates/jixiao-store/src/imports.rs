//! Writing an import: one transaction holding the lineage row, its rejects and the records.
//!
//! Records are upserted on (source, record_id): identical content is left untouched (the
//! `DO UPDATE … WHERE` finds nothing different), different content replaces the row. Records
//! dated in a closed period never reach the table; they come back as rejects.
//! Records whose agent is neither an employee number nor an alias of their source are held in
//! `held_records` in the same transaction (see `aliases`), never rejected or dropped.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use jixiao_core::Period;
use jixiao_core::record::Reject;

use serde::Serialize;

use crate::aliases::{AgentIndex, HeldWrites, settle_held};
use crate::dialect::{BeginWrite, BulkInsert, Col, Dialect};
use crate::kinds::{Item, Kind};
use crate::{
    ImportMode, ImportOutcome, ImportProgress, ImportStage, ImportStatus, NewImport, RecordBatch,
    Store, StoreError,
};

/// Records per write chunk: progress is reported after each, and only one chunk's columns are
/// in memory at a time. All chunks are in the import's one transaction.
const WRITE_CHUNK_ROWS: usize = 20_000;

/// The records of one kind that survived resolution, grouped by period, and those held
/// because their agent is not known (see `aliases`).
struct Resolved<'a, T> {
    by_period: BTreeMap<String, Vec<Item<'a, T>>>,
    held: BTreeMap<String, Vec<Item<'a, T>>>,
}

impl<'a, T: Kind> Resolved<'a, T> {
    /// Resolves agents and codes, keeps the last row of a repeated key, and turns every problem
    /// into a reject. An agent that is neither an employee number nor an alias of the record's
    /// source is not a problem of the row: the record is held until someone maps the name.
    fn new(
        records: &'a [(i64, T)],
        employees: &AgentIndex,
        types: &HashSet<String>,
        rejects: &mut Vec<Reject>,
    ) -> Self {
        let mut last: HashMap<(&str, &str), usize> = HashMap::with_capacity(records.len());
        for (i, (_, r)) in records.iter().enumerate() {
            last.insert(r.key(), i);
        }
        let mut by_period: BTreeMap<String, Vec<Item<'a, T>>> = BTreeMap::new();
        let mut held: BTreeMap<String, Vec<Item<'a, T>>> = BTreeMap::new();
        for (i, (row, r)) in records.iter().enumerate() {
            let reject = |column: &str, value: String, reason: String| Reject {
                row: *row,
                column: column.to_string(),
                value,
                reason,
            };
            let winner = last.get(&r.key()).copied().unwrap_or(i);
            if winner != i {
                let (source, id) = r.key();
                rejects.push(reject(
                    "record_id",
                    id.to_string(),
                    format!(
                        "record {source}/{id} appears again at row {}; the later row is used",
                        records[winner].0
                    ),
                ));
                continue;
            }
            // Checked before the agent, so that a held record can land as it is once mapped.
            let scaled = match r.check(types) {
                Ok(v) => v,
                Err((column, value, reason)) => {
                    rejects.push(reject(column, value, reason));
                    continue;
                }
            };
            let period = Period::containing(r.date()).to_string();
            let (employee_id, to) = match r.employee_no() {
                None => (None, &mut by_period),
                Some(agent) => match employees.resolve(r.key().0, agent.as_str()) {
                    Some(id) => (Some(id), &mut by_period),
                    None => (None, &mut held),
                },
            };
            to.entry(period.clone()).or_default().push(Item {
                row: *row,
                period,
                employee_id,
                scaled,
                rec: r,
            });
        }
        Resolved { by_period, held }
    }

    /// The periods of the records, landing or held.
    fn periods(&self) -> impl Iterator<Item = &String> {
        self.by_period.keys().chain(self.held.keys())
    }

    /// Takes out the records of closed periods, as rejects (held ones too: they could never
    /// count).
    fn reject_closed(&mut self, closed: &[String], rejects: &mut Vec<Reject>) {
        for p in closed {
            let held = self.held.remove(p).unwrap_or_default();
            for item in self
                .by_period
                .remove(p)
                .unwrap_or_default()
                .into_iter()
                .chain(held)
            {
                rejects.push(Reject {
                    row: item.row,
                    column: T::DATE_COLUMN.to_string(),
                    value: item.rec.date_value(),
                    reason: format!("period {p} is closed; send a correction as an adjustment"),
                });
            }
        }
    }

    fn len(&self) -> usize {
        self.by_period.values().map(Vec::len).sum()
    }
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

/// Counts from upserting one kind.
#[derive(Default)]
struct Written {
    inserted: i64,
    affected: i64,
    total: i64,
    touched: BTreeSet<String>,
    /// Records held for an unknown agent.
    held: i64,
}

/// Counts the records written so far and reports them, once per chunk.
struct Meter<'p, P> {
    progress: &'p P,
    done: u64,
    total: u64,
}

impl<P: Fn(ImportProgress)> Meter<'_, P> {
    fn advance(&mut self, rows: usize) {
        self.done += rows as u64;
        // A kind missing from the total would otherwise report more done than total.
        self.total = self.total.max(self.done);
        (self.progress)(ImportProgress {
            stage: ImportStage::Writing,
            done: self.done,
            total: self.total,
        });
    }
}

/// Upserts one kind's records, period by period so that rows affected tell which periods
/// changed, in chunks of [`WRITE_CHUNK_ROWS`].
async fn write_kind<C: Dialect + HeldWrites, T: Kind + Serialize>(
    conn: &mut C,
    resolved: &Resolved<'_, T>,
    import_id: i64,
    meter: &mut Meter<'_, impl Fn(ImportProgress)>,
) -> Result<Written, sqlx::Error> {
    let mut w = Written {
        held: settle_held(conn, &resolved.held, &resolved.by_period, import_id).await?,
        ..Written::default()
    };
    if resolved.len() == 0 {
        return Ok(w);
    }
    let suffix = upsert_suffix(T::TABLE, T::COLUMNS);
    let spec = BulkInsert {
        table: T::TABLE,
        columns: T::COLUMNS,
        suffix: &suffix,
    };
    for (period, items) in &resolved.by_period {
        for chunk in items.chunks(WRITE_CHUNK_ROWS) {
            let cols: Vec<Col> = T::columns(chunk, import_id);
            let done = conn.bulk_upsert(&spec, &cols).await?;
            if done.affected > 0 {
                w.touched.insert(period.clone());
            }
            w.affected += i64::try_from(done.affected).unwrap_or(i64::MAX);
            w.inserted += i64::try_from(done.inserted).unwrap_or(i64::MAX);
            w.total += chunk.len() as i64;
            meter.advance(chunk.len());
        }
    }
    Ok(w)
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

    /// [`Store::write_import`], reporting the writing stage to `progress` after each chunk of
    /// records (all in the one transaction): done counts records, total is every record that
    /// survived resolution and the closed-period check.
    pub async fn write_import_reporting(
        &self,
        import: &NewImport,
        batch: &RecordBatch,
        progress: &impl Fn(ImportProgress),
    ) -> Result<ImportOutcome, StoreError> {
        // Read before the transaction: an in-memory SQLite store has a single connection.
        let employees = self.agent_index().await?;
        let types: HashSet<String> = self
            .business_types()
            .await?
            .into_iter()
            .map(|b| b.code.as_str().to_string())
            .collect();
        let mut rejects = batch.rejects.clone();
        let mut calls = Resolved::new(&batch.calls, &employees, &types, &mut rejects);
        let mut surveys = Resolved::new(&batch.surveys, &employees, &types, &mut rejects);
        let mut qa = Resolved::new(&batch.qa, &employees, &types, &mut rejects);
        let mut tickets = Resolved::new(&batch.tickets, &employees, &types, &mut rejects);
        let mut chats = Resolved::new(&batch.chats, &employees, &types, &mut rejects);
        let mut orders = Resolved::new(&batch.orders, &employees, &types, &mut rejects);
        let mut attendance = Resolved::new(&batch.attendance, &employees, &types, &mut rejects);
        let mut work = Resolved::new(&batch.work, &employees, &types, &mut rejects);
        let periods: Vec<String> = calls
            .periods()
            .chain(surveys.periods())
            .chain(qa.periods())
            .chain(tickets.periods())
            .chain(chats.periods())
            .chain(orders.periods())
            .chain(attendance.periods())
            .chain(work.periods())
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();

        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
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
            for period in &periods {
                sqlx::query(crate::periods::ENSURE_PERIOD)
                    .bind(period)
                .execute(&mut *tx)
                .await?;
            }
            // Checked inside the transaction, with the period rows locked (see lock_periods), so a
            // close on another instance cannot slip in between this check and the commit.
            let closed = tx.lock_periods(&periods).await?;
            calls.reject_closed(&closed, &mut rejects);
            surveys.reject_closed(&closed, &mut rejects);
            qa.reject_closed(&closed, &mut rejects);
            tickets.reject_closed(&closed, &mut rejects);
            chats.reject_closed(&closed, &mut rejects);
            orders.reject_closed(&closed, &mut rejects);
            attendance.reject_closed(&closed, &mut rejects);
            work.reject_closed(&closed, &mut rejects);

            // Every reject is known by now (resolution, closed periods), so a strict import
            // that has any is refused before a single record is written.
            let status = if import.mode == ImportMode::Strict && !rejects.is_empty() {
                ImportStatus::Refused
            } else {
                ImportStatus::Done
            };
            // Every kind written below: the progress total.
            let to_write = calls.len() + surveys.len() + qa.len() + tickets.len() + chats.len()
                + orders.len() + attendance.len() + work.len();
            let mut meter = Meter { progress, done: 0, total: to_write as u64 };
            (meter.progress)(ImportProgress { stage: ImportStage::Writing, done: 0, total: meter.total });
            let written = if status == ImportStatus::Refused {
                Vec::new()
            } else {
                vec![
                    write_kind(&mut *tx, &calls, import_id, &mut meter).await?,
                    write_kind(&mut *tx, &surveys, import_id, &mut meter).await?,
                    write_kind(&mut *tx, &qa, import_id, &mut meter).await?,
                    write_kind(&mut *tx, &tickets, import_id, &mut meter).await?,
                    write_kind(&mut *tx, &chats, import_id, &mut meter).await?,
                    write_kind(&mut *tx, &orders, import_id, &mut meter).await?,
                    write_kind(&mut *tx, &attendance, import_id, &mut meter).await?,
                    write_kind(&mut *tx, &work, import_id, &mut meter).await?,
                ]
            };

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

            let inserted: i64 = written.iter().map(|w| w.inserted).sum();
            let affected: i64 = written.iter().map(|w| w.affected).sum();
            let total: i64 = written.iter().map(|w| w.total).sum();
            let held: i64 = written.iter().map(|w| w.held).sum();
            let touched: BTreeSet<String> = written.into_iter().flat_map(|w| w.touched).collect();
            let outcome = ImportOutcome {
                import_id,
                inserted,
                replaced: affected - inserted,
                unchanged: total - affected,
                rejects,
                periods_touched: touched
                    .iter()
                    .map(|p| p.parse::<Period>())
                    .collect::<Result<_, _>>()?,
                status,
                held,
            };
            sqlx::query(
                "UPDATE imports SET inserted = $1, replaced = $2, unchanged = $3, rejected = $4, \
                 status = $5, held = $7 WHERE id = $6",
            )
            .bind(outcome.inserted)
            .bind(outcome.replaced)
            .bind(outcome.unchanged)
            .bind(outcome.rejects.len() as i64)
            .bind(status.as_str())
            .bind(import_id)
            .bind(outcome.held)
            .execute(&mut *tx)
            .await?;
            for period in &touched {
                // Lets a close that computed before this import notice it is stale.
                sqlx::query("UPDATE periods SET revision = revision + 1 WHERE period = $1")
                    .bind(period)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(outcome)
        })
    }
}

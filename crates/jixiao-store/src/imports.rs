//! Writing an import: one transaction holding the lineage row, its rejects and the records.
//!
//! Records are upserted on (source, record_id): identical content is left untouched (the
//! `DO UPDATE … WHERE` finds nothing different), different content replaces the row. Records
//! dated in a closed period never reach the table; they come back as rejects.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use jixiao_core::Period;
use jixiao_core::record::Reject;

use crate::dialect::{BeginWrite, BulkInsert, Col, Dialect};
use crate::kinds::{Item, Kind};
use crate::{ImportOutcome, NewImport, RecordBatch, Store, StoreError};

/// The records of one kind that survived resolution, grouped by period.
struct Resolved<'a, T> {
    by_period: BTreeMap<String, Vec<Item<'a, T>>>,
}

impl<'a, T: Kind> Resolved<'a, T> {
    /// Resolves employee numbers and codes, keeps the last row of a repeated key, and turns every
    /// problem into a reject.
    fn new(
        records: &'a [(i64, T)],
        employees: &HashMap<String, i64>,
        types: &HashSet<String>,
        rejects: &mut Vec<Reject>,
    ) -> Self {
        let mut last: HashMap<(&str, &str), usize> = HashMap::with_capacity(records.len());
        for (i, (_, r)) in records.iter().enumerate() {
            last.insert(r.key(), i);
        }
        let mut by_period: BTreeMap<String, Vec<Item<'a, T>>> = BTreeMap::new();
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
            let employee_id = match r.employee_no() {
                None => None,
                Some(no) => match employees.get(no.as_str()) {
                    Some(id) => Some(*id),
                    None => {
                        rejects.push(reject(
                            "employee_no",
                            no.to_string(),
                            "unknown employee number".into(),
                        ));
                        continue;
                    }
                },
            };
            let scaled = match r.check(types) {
                Ok(v) => v,
                Err((column, value, reason)) => {
                    rejects.push(reject(column, value, reason));
                    continue;
                }
            };
            let period = Period::containing(r.date()).to_string();
            by_period.entry(period.clone()).or_default().push(Item {
                row: *row,
                period,
                employee_id,
                scaled,
                rec: r,
            });
        }
        Resolved { by_period }
    }

    /// Takes out the records of closed periods, as rejects.
    fn reject_closed(&mut self, closed: &[String], rejects: &mut Vec<Reject>) {
        for p in closed {
            for item in self.by_period.remove(p).unwrap_or_default() {
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
    let set: Vec<String> = content
        .iter()
        .chain(&["import_id"])
        .map(|c| format!("{c} = excluded.{c}"))
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
}

/// Upserts one kind's records, period by period so that rows affected tell which periods changed.
async fn write_kind<C: Dialect, T: Kind>(
    conn: &mut C,
    resolved: &Resolved<'_, T>,
    import_id: i64,
) -> Result<Written, sqlx::Error> {
    let mut w = Written::default();
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
        let cols: Vec<Col> = T::columns(items, import_id);
        let done = conn.bulk_upsert(&spec, &cols).await?;
        if done.affected > 0 {
            w.touched.insert(period.clone());
        }
        w.affected += i64::try_from(done.affected).unwrap_or(i64::MAX);
        w.inserted += i64::try_from(done.inserted).unwrap_or(i64::MAX);
        w.total += items.len() as i64;
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
    pub async fn write_import(
        &self,
        import: &NewImport,
        batch: &RecordBatch,
    ) -> Result<ImportOutcome, StoreError> {
        // Read before the transaction: an in-memory SQLite store has a single connection.
        let employees = self.employee_ids().await?;
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
        let periods: Vec<String> = calls
            .by_period
            .keys()
            .chain(surveys.by_period.keys())
            .chain(qa.by_period.keys())
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();

        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (import_id,): (i64,) = sqlx::query_as(
                "INSERT INTO imports (kind, file_name, file_hash, file_size, rows_total, \
                 imported_by, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&import.kind)
            .bind(&import.file_name)
            .bind(&import.file_hash)
            .bind(import.file_size)
            .bind(import.rows_total)
            .bind(&import.imported_by)
            .bind(import.imported_at)
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

            let written = [
                write_kind(&mut *tx, &calls, import_id).await?,
                write_kind(&mut *tx, &surveys, import_id).await?,
                write_kind(&mut *tx, &qa, import_id).await?,
            ];

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
            };
            sqlx::query(
                "UPDATE imports SET inserted = $1, replaced = $2, unchanged = $3, rejected = $4 \
                 WHERE id = $5",
            )
            .bind(outcome.inserted)
            .bind(outcome.replaced)
            .bind(outcome.unchanged)
            .bind(outcome.rejects.len() as i64)
            .bind(import_id)
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

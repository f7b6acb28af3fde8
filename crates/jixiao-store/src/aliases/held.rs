//! Held records: written in the import's transaction, listed as the unmatched-agent list, and
//! released as a lineage row of kind `release` once their alias is mapped.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::period::PeriodStatus;
use jixiao_core::record::{
    AttendanceRecord, CallRecord, ChatRecord, OrderRecord, QaRecord, SurveyRecord, TicketRecord,
    WorkRecord,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;

use super::{HeldRecord, UnmatchedAgent};
use crate::dialect::{BulkInsert, Col, Dialect};
use crate::kinds::{Item, Kind};
use crate::{
    ImportMode, ImportOutcome, NewImport, Page, PageReq, RecordBatch, Store, StoreError, corrupt,
    limit_offset,
};

/// Held rows per insert statement batch: bounds the payload strings in memory at once.
const HOLD_CHUNK_ROWS: usize = 20_000;

const HELD_COLUMNS: &[&str] = &[
    "import_id",
    "kind",
    "source",
    "record_id",
    "alias",
    "row_no",
    "period",
    "date",
    "payload",
];

/// A record held again keeps its row unless its content changed: re-importing a file does not
/// hold twice, and a new version replaces the payload (and points at the newer import).
const HELD_UPSERT: &str = "ON CONFLICT (kind, source, record_id) DO UPDATE SET \
     import_id = excluded.import_id, alias = excluded.alias, row_no = excluded.row_no, \
     period = excluded.period, date = excluded.date, payload = excluded.payload \
     WHERE held_records.payload IS DISTINCT FROM excluded.payload";

/// The held-record statements an import runs inside its transaction.
pub(crate) trait HeldWrites {
    /// Ids and keys of the held records of one kind.
    async fn held_keys(&mut self, kind: &str) -> Result<Vec<(i64, String, String)>, sqlx::Error>;
    /// Deletes held records by id.
    async fn delete_held(&mut self, ids: &[i64]) -> Result<(), sqlx::Error>;
}

/// One body for both connection types (generic code cannot name the executor).
macro_rules! held_writes_on {
    ($conn:ty) => {
        impl HeldWrites for $conn {
            async fn held_keys(
                &mut self,
                kind: &str,
            ) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
                sqlx::query_as("SELECT id, source, record_id FROM held_records WHERE kind = $1")
                    .bind(kind)
                    .fetch_all(&mut *self)
                    .await
            }

            async fn delete_held(&mut self, ids: &[i64]) -> Result<(), sqlx::Error> {
                for id in ids {
                    sqlx::query("DELETE FROM held_records WHERE id = $1")
                        .bind(id)
                        .execute(&mut *self)
                        .await?;
                }
                Ok(())
            }
        }
    };
}
held_writes_on!(SqliteConnection);
held_writes_on!(PgConnection);

/// Holds one kind's records whose agent is unknown, and lets go of held versions of records
/// that land now (their agent became known: a mapped alias, or a corrected file). Returns the
/// number held by this import.
pub(crate) async fn settle_held<C: Dialect + HeldWrites, T: Kind + Serialize>(
    conn: &mut C,
    held: &BTreeMap<String, Vec<Item<'_, T>>>,
    landed: &BTreeMap<String, Vec<Item<'_, T>>>,
    import_id: i64,
) -> Result<i64, sqlx::Error> {
    if !landed.is_empty() {
        let waiting = conn.held_keys(T::TABLE).await?;
        if !waiting.is_empty() {
            let by_key: HashMap<(&str, &str), i64> = waiting
                .iter()
                .map(|(id, s, r)| ((s.as_str(), r.as_str()), *id))
                .collect();
            let ids: Vec<i64> = landed
                .values()
                .flatten()
                .filter_map(|i| by_key.get(&i.rec.key()).copied())
                .collect();
            conn.delete_held(&ids).await?;
        }
    }
    let spec = BulkInsert {
        table: "held_records",
        columns: HELD_COLUMNS,
        suffix: HELD_UPSERT,
    };
    let mut count = 0;
    for chunk in held
        .values()
        .flat_map(|items| items.chunks(HOLD_CHUNK_ROWS))
    {
        let payloads = chunk
            .iter()
            .map(|i| serde_json::to_string(i.rec))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let text = |f: &dyn Fn(&Item<'_, T>) -> String| Col::Text(chunk.iter().map(f).collect());
        let cols = vec![
            Col::Int(vec![import_id; chunk.len()]),
            text(&|_| T::TABLE.to_string()),
            text(&|i| i.rec.key().0.to_string()),
            text(&|i| i.rec.key().1.to_string()),
            text(&|i| {
                i.rec
                    .employee_no()
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_default()
            }),
            Col::Int(chunk.iter().map(|i| i.row).collect()),
            text(&|i| i.period.clone()),
            Col::Date(chunk.iter().map(|i| i.rec.date()).collect()),
            Col::Text(payloads),
        ];
        conn.bulk_insert(&spec, &cols).await?;
        count += chunk.len() as i64;
    }
    Ok(count)
}

fn payload<T: DeserializeOwned>(h: &HeldRecord) -> Result<T, StoreError> {
    serde_json::from_str(&h.payload)
        .map_err(|e| corrupt("held record", &h.record_id, e.to_string()))
}

/// The held records as a batch for the store, each at its original file row. A new record kind
/// needs its line here (its table name is what `settle_held` stored as the kind).
fn held_batch(held: &[&HeldRecord]) -> Result<RecordBatch, StoreError> {
    let mut batch = RecordBatch::default();
    for h in held {
        match h.kind.as_str() {
            k if k == CallRecord::TABLE => batch.calls.push((h.row, payload(h)?)),
            k if k == SurveyRecord::TABLE => batch.surveys.push((h.row, payload(h)?)),
            k if k == QaRecord::TABLE => batch.qa.push((h.row, payload(h)?)),
            k if k == TicketRecord::TABLE => batch.tickets.push((h.row, payload(h)?)),
            k if k == ChatRecord::TABLE => batch.chats.push((h.row, payload(h)?)),
            k if k == OrderRecord::TABLE => batch.orders.push((h.row, payload(h)?)),
            k if k == AttendanceRecord::TABLE => batch.attendance.push((h.row, payload(h)?)),
            k if k == WorkRecord::TABLE => batch.work.push((h.row, payload(h)?)),
            other => return Err(corrupt("held record kind", other, "not a record table")),
        }
    }
    Ok(batch)
}

/// What releasing an alias's held records did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Released {
    /// The `release` import that landed the records, if any were in open periods.
    pub import: Option<ImportOutcome>,
    /// Records still held under the alias: their period is closed (or they were rejected).
    pub still_held: Vec<HeldRecord>,
}

type HeldRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    i64,
    String,
    NaiveDate,
    DateTime<Utc>,
    String,
);

fn held_record(r: HeldRow) -> Result<HeldRecord, StoreError> {
    Ok(HeldRecord {
        id: r.0,
        import_id: r.1,
        kind: r.2,
        source: r.3,
        record_id: r.4,
        alias: r.5,
        row: r.6,
        period: r.7.parse()?,
        date: r.8,
        held_at: r.9,
        payload: r.10,
    })
}

impl Store {
    /// The records held under one unknown agent name of one source, by date.
    pub async fn held_records_for(
        &self,
        source: &str,
        alias: &str,
    ) -> Result<Vec<HeldRecord>, StoreError> {
        let sql = "SELECT h.id, h.import_id, h.kind, h.source, h.record_id, h.alias, h.row_no, \
                   h.period, h.date, i.imported_at, h.payload FROM held_records h \
                   JOIN imports i ON i.id = h.import_id WHERE h.source = $1 AND h.alias = $2 \
                   ORDER BY h.date, h.kind, h.record_id";
        let rows: Vec<HeldRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(source.trim())
            .bind(alias.trim())
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(held_record).collect()
    }

    /// How many records are held, over all sources and names.
    pub async fn held_count(&self) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM held_records";
        let (n,): (i64,) = on_pool!(self, p => sqlx::query_as(sql).fetch_one(p).await)?;
        Ok(n)
    }

    /// The unmatched-agent list: held records grouped by (source, name), most records first.
    pub async fn unmatched(&self, page: PageReq) -> Result<Page<UnmatchedAgent>, StoreError> {
        // Grouped by kind too, so that no dialect-specific string aggregate is needed; there
        // are few groups (one per unknown name and kind), so they are merged and paged here.
        let sql = "SELECT h.source, h.alias, h.kind, COUNT(*), MIN(h.date), MAX(h.date), \
                   e.employee_no FROM held_records h \
                   LEFT JOIN employee_aliases a ON a.source = h.source AND a.alias = h.alias \
                   LEFT JOIN employees e ON e.id = a.employee_id \
                   GROUP BY h.source, h.alias, h.kind, e.employee_no";
        type Row = (
            String,
            String,
            String,
            i64,
            NaiveDate,
            NaiveDate,
            Option<String>,
        );
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        let mut groups: BTreeMap<(String, String), UnmatchedAgent> = BTreeMap::new();
        for (source, alias, kind, count, first, last, mapped_to) in rows {
            let g = groups
                .entry((source.clone(), alias.clone()))
                .or_insert_with(|| UnmatchedAgent {
                    source,
                    alias,
                    count: 0,
                    first,
                    last,
                    kinds: Vec::new(),
                    mapped_to,
                });
            g.count += count;
            g.first = g.first.min(first);
            g.last = g.last.max(last);
            g.kinds.push(kind);
        }
        let mut all: Vec<UnmatchedAgent> = groups.into_values().collect();
        for g in &mut all {
            g.kinds.sort();
        }
        // BTreeMap order (source, alias) breaks ties; the stable sort keeps it.
        all.sort_by_key(|g| std::cmp::Reverse(g.count));
        let (_, _, page) = limit_offset(page);
        Ok(Page::of(all, page))
    }

    /// Lands the records held under `source`/`alias` whose period is open, as one lineage row
    /// of kind `release` naming the imports they came from; the store lets go of the held
    /// copies of the records that land. Records of closed periods stay held and are returned.
    /// The caller maps the alias first (or creates the employee), and recomputes afterwards.
    pub async fn release_held(
        &self,
        source: &str,
        alias: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Released, StoreError> {
        let held = self.held_records_for(source, alias).await?;
        let closed: HashSet<Period> = self
            .periods()
            .await?
            .into_iter()
            .filter(|p| p.status == PeriodStatus::Closed)
            .map(|p| p.period)
            .collect();
        let open: Vec<&HeldRecord> = held
            .iter()
            .filter(|h| !closed.contains(&h.period))
            .collect();
        if open.is_empty() {
            return Ok(Released {
                import: None,
                still_held: held,
            });
        }
        let batch = held_batch(&open)?;
        let from: BTreeSet<String> = open.iter().map(|h| h.import_id.to_string()).collect();
        let release = NewImport {
            kind: "release".into(),
            file_name: format!(
                "{}/{} (held from import {})",
                source.trim(),
                alias.trim(),
                from.into_iter().collect::<Vec<_>>().join(", ")
            ),
            file_hash: String::new(),
            file_size: 0,
            rows_total: open.len() as i64,
            imported_by: by.to_string(),
            imported_at: at,
            mode: ImportMode::Lenient,
            profile: None,
        };
        let outcome = self.write_import(&release, &batch).await?;
        Ok(Released {
            import: Some(outcome),
            still_held: self.held_records_for(source, alias).await?,
        })
    }
}

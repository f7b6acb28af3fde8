//! Reading records and import lineage back, one page at a time.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use jixiao_core::Period;
use jixiao_core::money::from_scaled;
use jixiao_core::org::{AgentRef, EmployeeNo, TypeCode};
use jixiao_core::record::{CallRecord, Channel, Outcome, QaItem, QaRecord, Reject, SurveyRecord};

use crate::kinds::QA_SCALE;
use crate::{
    ImportMode, ImportStatus, ImportSummary, Page, PageReq, Store, StoreError, corrupt, found,
    limit_offset, secs,
};

/// Records of one employee in one period, optionally only those dated while in one team.
/// `$1` employee, `$2` period, `$3` team or NULL.
pub(crate) fn record_filter(alias: &str) -> String {
    format!(
        "{alias}.employee_id = $1 AND {alias}.period = $2 AND ($3 IS NULL OR EXISTS (\
         SELECT 1 FROM memberships m WHERE m.employee_id = {alias}.employee_id \
         AND m.team_id = $3 AND m.valid_from <= {alias}.date \
         AND (m.valid_to IS NULL OR {alias}.date <= m.valid_to)))"
    )
}

pub(crate) fn page_of<T>(items: Vec<T>, total: i64, page: PageReq) -> Page<T> {
    Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    }
}

/// A reject report row: row, column, value, reason.
type RejectRow = (i64, String, String, String);

const REJECT_SELECT: &str = "SELECT row_no, column_name, value, reason FROM import_rejects \
                             WHERE import_id = $1 ORDER BY row_no, id";

fn reject((row, column, value, reason): RejectRow) -> Reject {
    Reject {
        row,
        column,
        value,
        reason,
    }
}

type CallRow = (
    String,
    String,
    NaiveDateTime,
    Option<String>,
    String,
    Option<String>,
    String,
    i64,
    i64,
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
);

fn call(r: CallRow) -> Result<CallRecord, StoreError> {
    Ok(CallRecord {
        source: r.0,
        record_id: r.1,
        started_at: r.2,
        employee_no: r.3.as_deref().map(AgentRef::parse).transpose()?,
        business_type: TypeCode::parse(&r.4)?,
        customer_id: r.5,
        outcome: Outcome::parse(&r.6)?,
        wait_secs: secs(r.7),
        talk_secs: secs(r.8),
        hold_secs: secs(r.9),
        acw_secs: secs(r.10),
        channel: Channel::parse(&r.11)?,
        queue: r.12,
        transfer_to: r.13,
    })
}

impl Store {
    /// Runs one page of a record query and its count, both filtered by [`record_filter`]
    /// (`$1` employee, `$2` period, `$3` team; the page query adds `$4` limit, `$5` offset).
    pub(crate) async fn paged_records<R>(
        &self,
        sql: &str,
        count: &str,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<(Vec<R>, i64, PageReq), StoreError>
    where
        R: Send
            + Unpin
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        let (limit, offset, page) = limit_offset(page);
        let period = period.to_string();
        let (rows, (total,)): (Vec<R>, (i64,)) = on_pool!(self, p => {
            let rows = sqlx::query_as(sql).bind(employee_id).bind(&period).bind(team_id)
                .bind(limit).bind(offset).fetch_all(p).await?;
            let total = sqlx::query_as(count).bind(employee_id).bind(&period).bind(team_id)
                .fetch_one(p).await?;
            (rows, total)
        });
        Ok((rows, total, page))
    }

    /// Imports, newest first.
    pub async fn imports(&self, page: PageReq) -> Result<Page<ImportSummary>, StoreError> {
        let (limit, offset, page) = limit_offset(page);
        let sql = format!("{IMPORT_SELECT} ORDER BY id DESC LIMIT $1 OFFSET $2");
        let (rows, (total,)): (Vec<ImportRow>, (i64,)) = on_pool!(self, p => {
            let rows = sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(p).await?;
            (rows, sqlx::query_as("SELECT COUNT(*) FROM imports").fetch_one(p).await?)
        });
        let items = rows.into_iter().map(import_summary).collect();
        Ok(page_of(items, total, page))
    }

    /// One import's lineage and counts.
    pub async fn import(&self, id: i64) -> Result<ImportSummary, StoreError> {
        let sql = format!("{IMPORT_SELECT} WHERE id = $1");
        let row: Option<ImportRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        Ok(import_summary(found(row, || format!("import {id}"))?))
    }

    /// One page of an import's reject rows, by row (an import of a broken file can reject
    /// millions: the API pages them; the CSV download has them all).
    pub async fn import_rejects_page(
        &self,
        import_id: i64,
        page: PageReq,
    ) -> Result<Page<Reject>, StoreError> {
        let (limit, offset, page) = limit_offset(page);
        let sql = format!("{REJECT_SELECT} LIMIT $2 OFFSET $3");
        // The import row keeps the count, written with the rejects in one transaction: no
        // count of the rejects on every page (or every poll of a finished job).
        let count = "SELECT COALESCE(MAX(rejected), 0) FROM imports WHERE id = $1";
        let (rows, (total,)): (Vec<RejectRow>, (i64,)) = on_pool!(self, p => {
            let rows = sqlx::query_as(&sql)
                .bind(import_id)
                .bind(limit)
                .bind(offset)
                .fetch_all(p)
                .await?;
            (rows, sqlx::query_as(count).bind(import_id).fetch_one(p).await?)
        });
        let items = rows.into_iter().map(reject).collect();
        Ok(page_of(items, total, page))
    }

    /// One import's reject rows.
    pub async fn import_rejects(&self, import_id: i64) -> Result<Vec<Reject>, StoreError> {
        let rows: Vec<RejectRow> = on_pool!(self, p => sqlx::query_as(REJECT_SELECT)
            .bind(import_id)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(reject).collect())
    }

    /// Calls handled by an employee in a period (optionally only while in one team), by time.
    pub async fn calls_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<CallRecord>, StoreError> {
        let filter = record_filter("c");
        let sql = format!(
            "SELECT c.source, c.record_id, c.started_at, e.employee_no, c.business_type, \
             c.customer_id, c.outcome, c.wait_secs, c.talk_secs, c.hold_secs, c.acw_secs, \
             c.channel, c.queue, c.transfer_to \
             FROM calls c LEFT JOIN employees e ON e.id = c.employee_id WHERE {filter} \
             ORDER BY c.started_at, c.source, c.record_id LIMIT $4 OFFSET $5"
        );
        let count = format!("SELECT COUNT(*) FROM calls c WHERE {filter}");
        let (rows, total, page): (Vec<CallRow>, i64, PageReq) = self
            .paged_records(&sql, &count, employee_id, team_id, period, page)
            .await?;
        let items = rows.into_iter().map(call).collect::<Result<_, _>>()?;
        Ok(page_of(items, total, page))
    }

    /// Surveys about an employee in a period.
    pub async fn surveys_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<SurveyRecord>, StoreError> {
        let filter = record_filter("s");
        let sql = format!(
            "SELECT s.source, s.record_id, s.call_record_id, e.employee_no, s.date, s.score \
             FROM surveys s JOIN employees e ON e.id = s.employee_id WHERE {filter} \
             ORDER BY s.date, s.source, s.record_id LIMIT $4 OFFSET $5"
        );
        let count = format!("SELECT COUNT(*) FROM surveys s WHERE {filter}");
        type Row = (String, String, String, String, NaiveDate, i64);
        let (rows, total, page): (Vec<Row>, i64, PageReq) = self
            .paged_records(&sql, &count, employee_id, team_id, period, page)
            .await?;
        let items = rows
            .into_iter()
            .map(|r| {
                Ok(SurveyRecord {
                    source: r.0,
                    record_id: r.1,
                    call_record_id: r.2,
                    employee_no: AgentRef::parse(&r.3)?,
                    answered_on: r.4,
                    score: u8::try_from(r.5)
                        .map_err(|_| corrupt("survey score", &r.5.to_string(), "not 1-5"))?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(page_of(items, total, page))
    }

    /// QA reviews of an employee in a period.
    pub async fn qa_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<QaRecord>, StoreError> {
        let filter = record_filter("q");
        let sql = format!(
            "SELECT q.source, q.record_id, e.employee_no, q.reviewer_no, q.date, q.score, \
             q.critical_failure, q.interaction_id, q.form, q.item_scores FROM qa_reviews q JOIN employees e ON e.id = q.employee_id \
             WHERE {filter} ORDER BY q.date, q.source, q.record_id LIMIT $4 OFFSET $5"
        );
        let count = format!("SELECT COUNT(*) FROM qa_reviews q WHERE {filter}");
        type Row = (
            String,
            String,
            String,
            Option<String>,
            NaiveDate,
            i64,
            bool,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let (rows, total, page): (Vec<Row>, i64, PageReq) = self
            .paged_records(&sql, &count, employee_id, team_id, period, page)
            .await?;
        let items = rows
            .into_iter()
            .map(|r| {
                Ok(QaRecord {
                    source: r.0,
                    record_id: r.1,
                    employee_no: AgentRef::parse(&r.2)?,
                    reviewer_no: r.3.as_deref().map(EmployeeNo::parse).transpose()?,
                    reviewed_on: r.4,
                    score: from_scaled(r.5, QA_SCALE),
                    critical_failure: r.6,
                    interaction_id: r.7,
                    form: r.8,
                    items: QaItem::parse_list(r.9.as_deref().unwrap_or_default())?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(page_of(items, total, page))
    }
}

const IMPORT_SELECT: &str = "SELECT id, kind, file_name, file_hash, file_size, rows_total, \
     inserted, replaced, unchanged, rejected, imported_by, imported_at, mode, profile, status, \
     held FROM imports";

type ImportRow = (
    i64,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
    DateTime<Utc>,
    String,
    Option<String>,
    String,
    i64,
);

fn import_summary(r: ImportRow) -> ImportSummary {
    ImportSummary {
        id: r.0,
        kind: r.1,
        file_name: r.2,
        file_hash: r.3,
        file_size: r.4,
        rows_total: r.5,
        inserted: r.6,
        replaced: r.7,
        unchanged: r.8,
        rejected: r.9,
        imported_by: r.10,
        imported_at: r.11,
        // Unknown values can only come from a hand-edited row; show them as the defaults.
        mode: ImportMode::parse(&r.12).unwrap_or_default(),
        profile: r.13,
        status: ImportStatus::parse(&r.14).unwrap_or_default(),
        held: r.15,
    }
}

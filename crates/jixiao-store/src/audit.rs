//! The append-only, hash-chained audit log. Every entry stores the hash of the entry before it,
//! so an edit, a deletion or an insertion in the middle shows up in
//! [`Store::verify_audit_chain`]. Nothing here updates or deletes an entry, except the one-off
//! sealing of entries written before the chain existed (see [`chain`]).

mod chain;

pub(crate) use chain::AppendAudit;
pub use chain::{AuditVerification, ChainProblem};

use chrono::{DateTime, Utc};

use crate::dialect::BeginWrite;
use crate::{AuditEntry, NewAudit, Page, PageReq, Store, StoreError, limit_offset};

/// Which audit entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only entries filed under this employee.
    pub employee_id: Option<i64>,
    /// Only entries filed under this period.
    pub period: Option<jixiao_core::Period>,
    /// Only this kind and its sub-kinds.
    pub kind: Option<String>,
}

impl Store {
    /// Appends an audit entry at the end of the chain, in its own write transaction.
    pub async fn audit(&self, entry: &NewAudit) -> Result<(), StoreError> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            tx.append_audit(entry).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Audit entries, newest first.
    pub async fn audit_log(&self, page: PageReq) -> Result<Page<AuditEntry>, StoreError> {
        self.audit_search(&AuditFilter::default(), page).await
    }

    /// The kinds that occur in the log, sorted (for the audit page's kind filter).
    pub async fn audit_kinds(&self) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT DISTINCT kind FROM audit_log ORDER BY kind";
        let rows: Vec<(String,)> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(k,)| k).collect())
    }

    /// Audit entries matching `filter`, newest first. The employee and period are those the
    /// entry was filed under when appended (`detail.employee_id`; the subject when it is a
    /// period, else `detail.period`); a kind matches itself and its sub-kinds (`appeal` matches
    /// `appeal.accept`).
    pub async fn audit_search(
        &self,
        filter: &AuditFilter,
        page: PageReq,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let (limit, offset, page) = limit_offset(page);
        let filters = "($1 IS NULL OR employee_id = $1) AND ($2 IS NULL OR period = $2) \
                       AND ($3 IS NULL OR kind = $3 OR kind LIKE $4 ESCAPE '\\')";
        let sql = format!(
            "SELECT id, actor, kind, subject, detail_json, at, entry_hash FROM audit_log \
             WHERE {filters} ORDER BY id DESC LIMIT $5 OFFSET $6"
        );
        let count = format!("SELECT COUNT(*) FROM audit_log WHERE {filters}");
        let period = filter.period.map(|p| p.to_string());
        let kind = filter
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty());
        let prefix = kind.map(|k| {
            let escaped = k
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("{escaped}.%")
        });
        type Row = (i64, String, String, String, String, DateTime<Utc>, String);
        let (rows, (total,)): (Vec<Row>, (i64,)) = on_pool!(self, p => {
            let rows = sqlx::query_as(&sql)
                .bind(filter.employee_id)
                .bind(&period)
                .bind(kind)
                .bind(&prefix)
                .bind(limit)
                .bind(offset)
                .fetch_all(p)
                .await?;
            let total = sqlx::query_as(&count)
                .bind(filter.employee_id)
                .bind(&period)
                .bind(kind)
                .bind(&prefix)
                .fetch_one(p)
                .await?;
            (rows, total)
        });
        let items = rows
            .into_iter()
            .map(
                |(id, actor, kind, subject, detail, at, entry_hash)| AuditEntry {
                    id,
                    actor,
                    kind,
                    subject,
                    // A detail that is not JSON (edited by hand) is shown as a string, not lost.
                    detail: serde_json::from_str(&detail)
                        .unwrap_or(serde_json::Value::String(detail)),
                    at,
                    entry_hash,
                },
            )
            .collect();
        Ok(Page {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }
}

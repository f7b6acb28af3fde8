//! The append-only audit log: nothing here updates or deletes an entry.

use chrono::{DateTime, Utc};

use crate::{AuditEntry, NewAudit, Page, PageReq, Store, StoreError, limit_offset};

pub(crate) const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (actor, kind, subject, detail_json, at) VALUES ($1, $2, $3, $4, $5)";

impl Store {
    /// Appends an audit entry.
    pub async fn audit(&self, entry: &NewAudit) -> Result<(), StoreError> {
        let detail = entry.detail.to_string();
        on_pool!(self, p => sqlx::query(INSERT_AUDIT)
            .bind(&entry.actor)
            .bind(&entry.kind)
            .bind(&entry.subject)
            .bind(&detail)
            .bind(entry.at)
            .execute(p)
            .await.map(|_| ()))?;
        Ok(())
    }

    /// Audit entries, newest first.
    pub async fn audit_log(&self, page: PageReq) -> Result<Page<AuditEntry>, StoreError> {
        let (limit, offset, page) = limit_offset(page);
        let sql = "SELECT id, actor, kind, subject, detail_json, at FROM audit_log \
                   ORDER BY id DESC LIMIT $1 OFFSET $2";
        type Row = (i64, String, String, String, String, DateTime<Utc>);
        let (rows, (total,)): (Vec<Row>, (i64,)) = on_pool!(self, p => {
            let rows = sqlx::query_as(sql).bind(limit).bind(offset).fetch_all(p).await?;
            let total = sqlx::query_as("SELECT COUNT(*) FROM audit_log").fetch_one(p).await?;
            (rows, total)
        });
        let items = rows
            .into_iter()
            .map(|(id, actor, kind, subject, detail, at)| AuditEntry {
                id,
                actor,
                kind,
                subject,
                // A detail that is not JSON (edited by hand) is shown as a string, not lost.
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail)),
                at,
            })
            .collect();
        Ok(Page {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }
}

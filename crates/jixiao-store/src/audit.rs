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
        let (limit, offset, page) = limit_offset(page);
        let sql = "SELECT id, actor, kind, subject, detail_json, at, entry_hash FROM audit_log \
                   ORDER BY id DESC LIMIT $1 OFFSET $2";
        type Row = (i64, String, String, String, String, DateTime<Utc>, String);
        let (rows, (total,)): (Vec<Row>, (i64,)) = on_pool!(self, p => {
            let rows = sqlx::query_as(sql).bind(limit).bind(offset).fetch_all(p).await?;
            let total = sqlx::query_as("SELECT COUNT(*) FROM audit_log").fetch_one(p).await?;
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

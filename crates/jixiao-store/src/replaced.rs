//! Which records an import replaced: the log behind "a record that arrives again with different
//! content replaces the old one; the change is logged".
//!
//! The upsert's `DO UPDATE` stores the replaced version's `import_id` in `previous_import_id`
//! (see `imports::upsert_suffix`), so the records an import changed are exactly those it now
//! owns that have a previous import. A later identical re-send changes nothing, so the log of
//! the import that did the change stays as it was.

use serde::Serialize;

use crate::{Store, StoreError};

/// Every record table, by the kind name imports use.
const TABLES: [(&str, &str); 8] = [
    ("calls", "calls"),
    ("surveys", "surveys"),
    ("qa", "qa_reviews"),
    ("tickets", "tickets"),
    ("chats", "chat_sessions"),
    ("orders", "orders"),
    ("attendance", "attendance"),
    ("work", "work_records"),
];

/// One record an import replaced with different content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplacedRecord {
    /// The record kind (`calls`, `tickets`, …).
    pub kind: String,
    /// Source system.
    pub source: String,
    /// The source's record id.
    pub record_id: String,
    /// The import the replaced version came from.
    pub previous_import_id: i64,
}

impl Store {
    /// The records import `import_id` replaced, by kind, source and record id.
    pub async fn replaced_records(
        &self,
        import_id: i64,
    ) -> Result<Vec<ReplacedRecord>, StoreError> {
        let sql = TABLES
            .iter()
            .map(|(kind, table)| {
                format!(
                    "SELECT '{kind}', source, record_id, previous_import_id FROM {table} \
                     WHERE import_id = $1 AND previous_import_id IS NOT NULL"
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let sql = format!("SELECT * FROM ({sql}) r ORDER BY 1, 2, 3");
        let rows: Vec<(String, String, String, i64)> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(import_id).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(
                |(kind, source, record_id, previous_import_id)| ReplacedRecord {
                    kind,
                    source,
                    record_id,
                    previous_import_id,
                },
            )
            .collect())
    }
}

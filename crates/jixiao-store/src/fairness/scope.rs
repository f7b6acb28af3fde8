//! Single-item questions the pages ask: may this viewer see this journey, and what happened
//! to this complaint (its entries of the audit log, which every complaint write appends).

use chrono::{DateTime, Utc};

use super::Visibility;
use super::journeys::journey_filter;
use crate::{Store, StoreError};

/// One step of a complaint's history, from the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Who.
    pub actor: String,
    /// The audit kind (`complaint.register`, `complaint.attribute`, …).
    pub kind: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The reason, when the step had one.
    pub reason: Option<String>,
}

impl Store {
    /// Whether `v` may see journey `id` (false when it does not exist); `creator` is the
    /// viewer's username (an agent sees the journeys they opened).
    pub async fn journey_visible(
        &self,
        id: i64,
        v: &Visibility,
        creator: &str,
    ) -> Result<bool, StoreError> {
        let filter = journey_filter(v);
        let by_creator = matches!(v, Visibility::Employee(_));
        let cond = match (filter.is_empty(), by_creator) {
            (true, _) => " WHERE j.id = $1".to_string(),
            (false, true) => format!("{filter} AND j.id = $2"),
            (false, false) => format!("{filter} AND j.id = $1"),
        };
        let sql = format!("SELECT COUNT(*) FROM journeys j{cond}");
        let (n,): (i64,) = on_pool!(self, p => {
            let q = sqlx::query_as(&sql);
            let q = if by_creator { q.bind(creator) } else { q };
            q.bind(id).fetch_one(p).await
        })?;
        Ok(n > 0)
    }

    /// The audit entries of complaint `id`, oldest first.
    pub async fn complaint_history(&self, id: i64) -> Result<Vec<HistoryEntry>, StoreError> {
        let sql = "SELECT actor, kind, detail_json, at FROM audit_log WHERE subject = $1 \
                   ORDER BY id";
        let subject = format!("complaint:{id}");
        type Row = (String, String, String, DateTime<Utc>);
        let rows: Vec<Row> =
            on_pool!(self, p => sqlx::query_as(sql).bind(&subject).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(actor, kind, detail, at)| {
                let reason = serde_json::from_str::<serde_json::Value>(&detail)
                    .ok()
                    .and_then(|d| {
                        ["reason", "resolution"]
                            .iter()
                            .find_map(|k| d.get(*k).and_then(|r| r.as_str()).map(str::to_string))
                    });
                HistoryEntry {
                    actor,
                    kind,
                    at,
                    reason,
                }
            })
            .collect())
    }
}

//! Online survey links (docs/FAIRNESS.md): a single-use token, stored only as its hash, that
//! lets the customer answer a journey's survey without an account; and finding the record
//! kind of an interaction named `source:record_id` (for imported complaints' links).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::{NewAudit, Store, StoreError};

/// A survey link, as stored.
#[derive(Debug, Clone, Serialize)]
pub struct SurveyLink {
    /// The journey it surveys.
    pub journey_id: i64,
    /// The agent who created it: the survey's proxy.
    pub proxy_employee_id: Option<i64>,
    /// Their username (the survey is recorded under it).
    pub created_by: String,
    /// When it was answered; a spent link cannot be used again.
    pub spent_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Stores a survey link for `journey_id` under `token_hash` (audited
    /// `journey.survey_link`, without the token).
    pub async fn create_survey_link(
        &self,
        journey_id: i64,
        token_hash: &str,
        proxy_employee_id: Option<i64>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.journey(journey_id).await?;
        let sql = "INSERT INTO journey_survey_links (token_hash, journey_id, proxy_employee_id, \
                   created_by, created_at) VALUES ($1, $2, $3, $4, $5)";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(sql)
                .bind(token_hash)
                .bind(journey_id)
                .bind(proxy_employee_id)
                .bind(by)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "journey.survey_link".into(),
                subject: format!("journey:{journey_id}"),
                detail: serde_json::json!({ "proxy_employee_id": proxy_employee_id }),
                at,
            }).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The link stored under `token_hash`, if any.
    pub async fn survey_link(&self, token_hash: &str) -> Result<Option<SurveyLink>, StoreError> {
        let sql = "SELECT journey_id, proxy_employee_id, created_by, spent_at \
                   FROM journey_survey_links WHERE token_hash = $1";
        type Row = (i64, Option<i64>, String, Option<DateTime<Utc>>);
        let row: Option<Row> =
            on_pool!(self, p => sqlx::query_as(sql).bind(token_hash).fetch_optional(p).await)?;
        Ok(row.map(|r| SurveyLink {
            journey_id: r.0,
            proxy_employee_id: r.1,
            created_by: r.2,
            spent_at: r.3,
        }))
    }

    /// Marks the link spent; false when it already was (or does not exist).
    pub async fn spend_survey_link(
        &self,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE journey_survey_links SET spent_at = $1 \
                   WHERE token_hash = $2 AND spent_at IS NULL";
        let n = on_pool!(self, p => {
            sqlx::query(sql).bind(at).bind(token_hash).execute(p).await.map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// The complaint link kind (`calls`, `tickets`, `chats`) of the interaction
    /// `source:record_id`, or None when no such call, ticket or chat exists.
    pub async fn interaction_kind(
        &self,
        source: &str,
        record_id: &str,
    ) -> Result<Option<&'static str>, StoreError> {
        for (kind, table) in [
            ("calls", "calls"),
            ("tickets", "tickets"),
            ("chats", "chat_sessions"),
        ] {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE source = $1 AND record_id = $2");
            let (hits,): (i64,) = on_pool!(self, p => {
                sqlx::query_as(&sql).bind(source).bind(record_id).fetch_one(p).await
            })?;
            if hits > 0 {
                return Ok(Some(kind));
            }
        }
        Ok(None)
    }
}

//! Behaviour ratings: a supervisor's anchored 1–5 rating of an agent's behaviour for one team
//! segment of a period (`jixiao_core::behaviour`). Written with its audit entry in one
//! transaction, refused in a closed period; the compute reads them as segment measures
//! (see `service::behaviour`).

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::behaviour::AnchoredScale;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::lifecycle::invalid;
use crate::{NewAudit, Store, StoreError};

/// Longest comment kept with a rating.
pub const MAX_RATING_COMMENT: usize = 1000;

/// A rating to record (or replace).
#[derive(Debug, Clone)]
pub struct NewRating {
    /// The (unclosed) period rated.
    pub period: Period,
    /// The agent.
    pub employee_id: i64,
    /// The team segment rated; the agent must be a member during the period.
    pub team_id: i64,
    /// The anchored level, 1–5.
    pub level: u8,
    /// Why, in the rater's words (may be empty).
    pub comment: String,
    /// Who rates.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A stored rating.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BehaviourRating {
    /// The period.
    pub period: Period,
    /// The agent.
    pub employee_id: i64,
    /// The agent's number.
    pub employee_no: String,
    /// The agent's name.
    pub name: String,
    /// The team segment.
    pub team_id: i64,
    /// The level, 1–5.
    pub level: u8,
    /// The rater's comment.
    pub comment: String,
    /// Who rated.
    pub rated_by: String,
    /// When.
    pub rated_at: DateTime<Utc>,
}

type RatingRow = (
    String,
    i64,
    String,
    String,
    i64,
    i64,
    String,
    String,
    DateTime<Utc>,
);

fn rating(r: RatingRow) -> Result<BehaviourRating, StoreError> {
    Ok(BehaviourRating {
        period: r.0.parse()?,
        employee_id: r.1,
        employee_no: r.2,
        name: r.3,
        team_id: r.4,
        level: u8::try_from(r.5).unwrap_or(0),
        comment: r.6,
        rated_by: r.7,
        rated_at: r.8,
    })
}

impl Store {
    /// Records (or replaces) a rating and audits it as `behaviour.rate`, bumping the period's
    /// revision so that a close computed before it recomputes. PeriodClosed in a closed
    /// period; NotFound if the agent has no membership of the team during the period;
    /// invalid for a level outside 1–5 or a comment over [`MAX_RATING_COMMENT`] characters.
    pub async fn rate_behaviour(&self, r: &NewRating) -> Result<(), StoreError> {
        AnchoredScale::standard().score(r.level)?;
        let comment = r.comment.trim();
        if comment.chars().count() > MAX_RATING_COMMENT {
            return Err(invalid("comment", "…", "at most 1000 characters"));
        }
        let p_str = r.period.to_string();
        let member = "SELECT COUNT(*) FROM memberships WHERE employee_id = $1 AND team_id = $2 \
                      AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $4)";
        let previous = "SELECT level FROM behaviour_ratings \
                        WHERE period = $1 AND employee_id = $2 AND team_id = $3";
        let upsert = "INSERT INTO behaviour_ratings \
                      (period, employee_id, team_id, level, comment, rated_by, rated_at) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7) \
                      ON CONFLICT (period, employee_id, team_id) DO UPDATE SET \
                      level = excluded.level, comment = excluded.comment, \
                      rated_by = excluded.rated_by, rated_at = excluded.rated_at";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (n,): (i64,) = sqlx::query_as(member)
                .bind(r.employee_id)
                .bind(r.team_id)
                .bind(r.period.last_day())
                .bind(r.period.first_day())
                .fetch_one(&mut *tx)
                .await?;
            if n == 0 {
                return Err(StoreError::NotFound(format!(
                    "employee {} in team {} during {p_str}",
                    r.employee_id, r.team_id
                )));
            }
            ensure_open!(tx, r.period);
            let before: Option<(i64,)> = sqlx::query_as(previous)
                .bind(&p_str)
                .bind(r.employee_id)
                .bind(r.team_id)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query(upsert)
                .bind(&p_str)
                .bind(r.employee_id)
                .bind(r.team_id)
                .bind(i64::from(r.level))
                .bind(comment)
                .bind(&r.by)
                .bind(r.at)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE periods SET revision = revision + 1 WHERE period = $1")
                .bind(&p_str)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&NewAudit {
                actor: r.by.clone(),
                kind: "behaviour.rate".into(),
                subject: p_str.clone(),
                detail: serde_json::json!({
                    "employee_id": r.employee_id,
                    "team_id": r.team_id,
                    "level": r.level,
                    "previous_level": before.map(|(l,)| l),
                    "comment": comment,
                }),
                at: r.at,
            })
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A period's ratings, by team then employee number; only one team's or one employee's
    /// when given.
    pub async fn behaviour_ratings(
        &self,
        period: Period,
        team_id: Option<i64>,
        employee_id: Option<i64>,
    ) -> Result<Vec<BehaviourRating>, StoreError> {
        let sql = "SELECT r.period, r.employee_id, e.employee_no, e.name, r.team_id, r.level, \
                   r.comment, r.rated_by, r.rated_at \
                   FROM behaviour_ratings r JOIN employees e ON e.id = r.employee_id \
                   WHERE r.period = $1 AND ($2 IS NULL OR r.team_id = $2) \
                   AND ($3 IS NULL OR r.employee_id = $3) \
                   ORDER BY r.team_id, e.employee_no";
        let rows: Vec<RatingRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(period.to_string())
            .bind(team_id)
            .bind(employee_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(rating).collect()
    }
}

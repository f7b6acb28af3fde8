//! Findings: one deficient journey stage or one upheld complaint attribution, held against
//! one employee and counted in one period (`journey_findings` / `complaints_upheld`).
//! An appeal may overturn one (F2's `appeals.rs` writes that); overturned findings count
//! nothing but stay listed.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use serde::Serialize;

use super::Visibility;
use crate::{Store, StoreError, found};

/// A stored finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Id.
    pub id: i64,
    /// `survey` or `complaint`.
    pub origin: String,
    /// The employee held responsible.
    pub employee_id: i64,
    /// The period it counts in.
    pub period: Period,
    /// Its date (the survey's or the decision's); team membership is looked up on it.
    pub date: NaiveDate,
    /// The journey, for a survey finding (or a complaint linked to one).
    pub journey_id: Option<i64>,
    /// The stage.
    pub stage_id: Option<i64>,
    /// The complaint, for a complaint finding.
    pub complaint_id: Option<i64>,
    /// Why.
    pub reason: String,
    /// `active` or `overturned`.
    pub status: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Who overturned it.
    pub overturned_by: Option<String>,
    /// When.
    pub overturned_at: Option<DateTime<Utc>>,
    /// Why.
    pub overturned_reason: Option<String>,
}

/// A finding to write (inside the journey's or complaint's transaction).
#[derive(Debug, Clone)]
pub(crate) struct NewFinding {
    pub origin: &'static str,
    pub employee_id: i64,
    pub date: NaiveDate,
    pub journey_id: Option<i64>,
    pub stage_id: Option<i64>,
    pub complaint_id: Option<i64>,
    pub attribution_id: Option<i64>,
    pub reason: String,
}

pub(crate) const INSERT_FINDING: &str = "INSERT INTO findings (origin, employee_id, period, \
     date, journey_id, stage_id, complaint_id, attribution_id, reason, status, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10) RETURNING id";

/// Inserts `$f` (a [`NewFinding`]) in transaction `$tx` at `$at`; evaluates to its id.
macro_rules! insert_finding {
    ($tx:ident, $f:expr, $at:expr) => {{
        let f: &crate::fairness::findings::NewFinding = $f;
        let (id,): (i64,) = sqlx::query_as(crate::fairness::findings::INSERT_FINDING)
            .bind(f.origin)
            .bind(f.employee_id)
            .bind(jixiao_core::Period::containing(f.date).to_string())
            .bind(f.date)
            .bind(f.journey_id)
            .bind(f.stage_id)
            .bind(f.complaint_id)
            .bind(f.attribution_id)
            .bind(&f.reason)
            .bind($at)
            .fetch_one(&mut *$tx)
            .await?;
        id
    }};
}
pub(crate) use insert_finding;

const COLUMNS: &str = "f.id, f.origin, f.employee_id, f.period, f.date, f.journey_id, \
     f.stage_id, f.complaint_id, f.reason, f.status, f.created_at, f.overturned_by, \
     f.overturned_at, f.overturned_reason";

type Row = (
    i64,
    String,
    i64,
    String,
    NaiveDate,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    String,
    DateTime<Utc>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<String>,
);

fn finding(r: Row) -> Result<Finding, StoreError> {
    Ok(Finding {
        id: r.0,
        origin: r.1,
        employee_id: r.2,
        period: r.3.parse()?,
        date: r.4,
        journey_id: r.5,
        stage_id: r.6,
        complaint_id: r.7,
        reason: r.8,
        status: r.9,
        created_at: r.10,
        overturned_by: r.11,
        overturned_at: r.12,
        overturned_reason: r.13,
    })
}

/// `AND …` limiting findings `f` to what `v` may see: a supervisor's teams' members on the
/// finding's date, an agent's own.
pub(crate) fn visible(v: &Visibility) -> String {
    match v {
        Visibility::All => String::new(),
        Visibility::Employee(id) => format!(" AND f.employee_id = {id}"),
        Visibility::Teams(teams) => format!(
            " AND EXISTS (SELECT 1 FROM memberships m WHERE m.employee_id = f.employee_id \
             AND m.team_id IN ({}) AND m.valid_from <= f.date \
             AND (m.valid_to IS NULL OR f.date <= m.valid_to))",
            super::id_list(teams)
        ),
    }
}

impl Store {
    /// One finding; NotFound if absent.
    pub async fn finding(&self, id: i64) -> Result<Finding, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM findings f WHERE f.id = $1");
        let row: Option<Row> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        finding(found(row, || format!("finding {id}"))?)
    }

    /// An employee's findings counted in `period` (active and overturned), oldest first.
    pub async fn findings_of(
        &self,
        period: Period,
        employee_id: i64,
    ) -> Result<Vec<Finding>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM findings f WHERE f.period = $1 AND f.employee_id = $2 \
             ORDER BY f.id"
        );
        let p_str = period.to_string();
        let rows: Vec<Row> = on_pool!(self, p => {
            sqlx::query_as(&sql).bind(&p_str).bind(employee_id).fetch_all(p).await
        })?;
        rows.into_iter().map(finding).collect()
    }

    /// The findings of a complaint (`complaint = true`) or a journey, visible to `v`.
    pub async fn findings_from(
        &self,
        complaint: bool,
        id: i64,
        v: &Visibility,
    ) -> Result<Vec<Finding>, StoreError> {
        let col = if complaint {
            "complaint_id"
        } else {
            "journey_id"
        };
        let origin = if complaint { "complaint" } else { "survey" };
        let sql = format!(
            "SELECT {COLUMNS} FROM findings f WHERE f.{col} = $1 AND f.origin = $2{} \
             ORDER BY f.id",
            visible(v)
        );
        let rows: Vec<Row> = on_pool!(self, p => {
            sqlx::query_as(&sql).bind(id).bind(origin).fetch_all(p).await
        })?;
        rows.into_iter().map(finding).collect()
    }
}

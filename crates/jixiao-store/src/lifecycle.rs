//! The manager-driven steps of a period's lifecycle (opening the review window) and
//! adjustments: corrections entered in an open period, never in a closed one. Each write and
//! its audit entry share one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::adjustment::{self, AdjustmentLine};
use jixiao_core::money::to_scaled;
use jixiao_core::period::PeriodStatus;
use rust_decimal::Decimal;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::periods::ENSURE_PERIOD;
use crate::{NewAudit, Store, StoreError, corrupt};

/// An adjustment to record.
#[derive(Debug, Clone)]
pub struct NewAdjustment {
    /// The open period it is entered in (and paid with).
    pub period: Period,
    /// The employee.
    pub employee_id: i64,
    /// Points added (negative: removed), at most two decimals.
    pub points: Decimal,
    /// Pay added (negative: deducted), in whole fen.
    pub pay: Decimal,
    /// Why (required).
    pub reason: String,
    /// The closed period it corrects, if any.
    pub corrects: Option<Period>,
    /// Who entered it.
    pub author: String,
    /// When.
    pub at: DateTime<Utc>,
}

type AdjustmentRow = (
    i64,
    i64,
    i64,
    i64,
    String,
    String,
    DateTime<Utc>,
    Option<String>,
);

fn line(r: AdjustmentRow) -> Result<(i64, AdjustmentLine), StoreError> {
    Ok((
        r.1,
        AdjustmentLine {
            id: r.0,
            points: Decimal::new(r.2, 2),
            pay: Decimal::new(r.3, 2),
            reason: r.4,
            author: r.5,
            created_at: r.6,
            corrects: r.7.map(|p| p.parse()).transpose()?,
        },
    ))
}

fn scaled(what: &'static str, v: Decimal) -> Result<i64, StoreError> {
    to_scaled(v, 2).ok_or_else(|| corrupt(what, &v.to_string(), "out of range"))
}

/// A user's input that breaks a rule (not a corrupt stored value).
pub(crate) fn invalid(what: &'static str, value: &str, reason: &str) -> StoreError {
    StoreError::Core(jixiao_core::CoreError::Invalid {
        what,
        value: value.to_string(),
        reason: reason.to_string(),
    })
}

fn refused(period: Period, from: PeriodStatus, to: PeriodStatus) -> StoreError {
    if from == PeriodStatus::Closed {
        StoreError::PeriodClosed(period)
    } else {
        StoreError::InvalidTransition {
            period,
            from: from.as_str(),
            to: to.as_str(),
        }
    }
}

impl Store {
    /// Opens (or moves the end of) a period's review window: computed or in review →
    /// in review until `until`. PeriodClosed if closed; InvalidTransition if not computed yet.
    pub async fn open_review(
        &self,
        period: Period,
        until: NaiveDate,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let p_str = period.to_string();
        let flip = "UPDATE periods SET status = 'in_review', review_until = $2 \
                    WHERE period = $1 AND status IN ('computed', 'in_review')";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(ENSURE_PERIOD).bind(&p_str).execute(&mut *tx).await?;
            let (from,): (String,) =
                sqlx::query_as("SELECT status FROM periods WHERE period = $1")
                    .bind(&p_str)
                    .fetch_one(&mut *tx)
                    .await?;
            let from = PeriodStatus::parse(&from)?;
            let flipped = sqlx::query(flip)
                .bind(&p_str)
                .bind(until)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if flipped == 0 {
                return Err(refused(period, from, PeriodStatus::InReview));
            }
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "period.review".into(),
                subject: p_str.clone(),
                detail: serde_json::json!({
                    "from": from.as_str(),
                    "to": "in_review",
                    "review_until": until.to_string(),
                }),
                at,
            })
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records an adjustment in its (unclosed) period, bumps the period's revision so that a
    /// close computed before it is not stored without it, and audits it as `adjustment.add`.
    /// PeriodClosed if the period is closed; invalid if the reason is blank, the amounts are
    /// zero, or `corrects` is not an earlier closed period.
    pub async fn add_adjustment(&self, a: &NewAdjustment) -> Result<AdjustmentLine, StoreError> {
        adjustment::validate(a.points, a.pay, &a.reason)?;
        let p_str = a.period.to_string();
        let corrects = a.corrects.map(|c| c.to_string());
        let (points, pay) = (scaled("points", a.points)?, scaled("pay", a.pay)?);
        let insert = "INSERT INTO adjustments \
                      (period, employee_id, points, pay, reason, author, created_at, corrects) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            ensure_open!(tx, a.period);
            if let (Some(c), Some(c_str)) = (a.corrects, &corrects) {
                let status: Option<(String,)> =
                    sqlx::query_as("SELECT status FROM periods WHERE period = $1")
                        .bind(c_str)
                        .fetch_optional(&mut *tx)
                        .await?;
                if c >= a.period || status.is_none_or(|(s,)| s != "closed") {
                    return Err(invalid(
                        "corrected period",
                        c_str,
                        "must be an earlier, closed period",
                    ));
                }
            }
            let (id,): (i64,) = sqlx::query_as(insert)
                .bind(&p_str)
                .bind(a.employee_id)
                .bind(points)
                .bind(pay)
                .bind(a.reason.trim())
                .bind(&a.author)
                .bind(a.at)
                .bind(&corrects)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("UPDATE periods SET revision = revision + 1 WHERE period = $1")
                .bind(&p_str)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&NewAudit {
                actor: a.author.clone(),
                kind: "adjustment.add".into(),
                subject: p_str.clone(),
                detail: serde_json::json!({
                    "id": id,
                    "employee_id": a.employee_id,
                    "points": a.points.to_string(),
                    "pay": a.pay.to_string(),
                    "reason": a.reason.trim(),
                    "corrects": corrects,
                }),
                at: a.at,
            })
            .await?;
            tx.commit().await?;
            id
        });
        let mut all = self.adjustments(a.period, Some(a.employee_id)).await?;
        all.retain(|(_, l)| l.id == id);
        all.pop()
            .map(|(_, l)| l)
            .ok_or_else(|| StoreError::NotFound(format!("adjustment {id}")))
    }

    /// A period's adjustments as (employee id, line), oldest first; one employee's if given.
    pub async fn adjustments(
        &self,
        period: Period,
        employee_id: Option<i64>,
    ) -> Result<Vec<(i64, AdjustmentLine)>, StoreError> {
        let sql = "SELECT id, employee_id, points, pay, reason, author, created_at, corrects \
                   FROM adjustments WHERE period = $1 AND ($2 IS NULL OR employee_id = $2) \
                   ORDER BY id";
        let p_str = period.to_string();
        let rows: Vec<AdjustmentRow> = on_pool!(self, p => {
            sqlx::query_as(sql).bind(&p_str).bind(employee_id).fetch_all(p).await
        })?;
        rows.into_iter().map(line).collect()
    }
}

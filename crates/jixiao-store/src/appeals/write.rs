//! Submitting an appeal and taking a step on one, each in one write transaction with its
//! history row, audit entry and notifications.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::appeal::{self, Action, AppealState, AppealStatus, Party, TargetKind};
use jixiao_core::money::to_scaled;
use jixiao_core::org::Role;
use rust_decimal::Decimal;

use super::read::Appeal;
use super::scope::led_by_sql;
use crate::audit::AppendAudit;
use crate::dialect::{BeginWrite, Dialect};
use crate::notifications::{Notice, Notify};
use crate::{Backend, NewAudit, Store, StoreError, User, corrupt, found};

/// An appeal to submit (by the employee whose card it is).
#[derive(Debug, Clone)]
pub struct NewAppeal {
    /// The period of the card.
    pub period: Period,
    /// The employee (must be the submitting user's).
    pub employee_id: i64,
    /// What is appealed.
    pub target_kind: TargetKind,
    /// Which one.
    pub target_ref: String,
    /// Why (required).
    pub reason: String,
    /// Evidence (optional free text).
    pub evidence: String,
    /// Today, for the review window.
    pub today: NaiveDate,
    /// Now.
    pub at: DateTime<Utc>,
}

/// A step to take on an appeal.
#[derive(Debug, Clone)]
pub struct AppealStep {
    /// Accept, reject, escalate or withdraw.
    pub action: Action,
    /// Why (required except to withdraw).
    pub reason: String,
    /// Points of the correction when accepting a KPI, deduction or QA appeal.
    pub points: Decimal,
    /// Pay of that correction.
    pub pay: Decimal,
    /// Today, for the review window.
    pub today: NaiveDate,
    /// Now.
    pub at: DateTime<Utc>,
}

const WINDOW: &str = "SELECT status, review_until FROM periods WHERE period = $1";
const CARD_FIGURES: &str = "SELECT CAST(SUM(points) AS BIGINT), CAST(SUM(variable_pay) AS BIGINT), \
     COUNT(*) FROM scorecards WHERE period = $1 AND employee_id = $2";
const CARD_TOTAL: &str = "SELECT total FROM scorecards WHERE period = $1 AND employee_id = $2 \
     ORDER BY team_id LIMIT 1";
const INSERT_APPEAL: &str = "INSERT INTO appeals (period, employee_id, target_kind, target_ref, \
     reason, evidence, status, escalated, submitted_by, submitted_at) \
     VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8, $9) RETURNING id";
const INSERT_EVENT: &str = "INSERT INTO appeal_events \
     (appeal_id, action, from_status, to_status, actor, reason, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
const OPEN_TWIN: &str = "SELECT id FROM appeals WHERE period = $1 AND employee_id = $2 \
     AND target_kind = $3 AND target_ref = $4 AND status IN ('submitted', 'escalated')";
const FINDING_OF: &str = "SELECT status FROM findings WHERE id = $1 AND employee_id = $2 \
     AND period = $3";
const QA_OF: &str = "SELECT 1 FROM qa_reviews WHERE record_id = $1 AND employee_id = $2 \
     AND period = $3";
const OVERTURN: &str = "UPDATE findings SET status = 'overturned', overturned_by = $2, \
     overturned_at = $3, overturned_reason = $4 WHERE id = $1 AND status = 'active'";
const INSERT_ADJUSTMENT: &str = "INSERT INTO adjustments \
     (period, employee_id, points, pay, reason, author, created_at, corrects) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) RETURNING id";
const BUMP_REVISION: &str = "UPDATE periods SET revision = revision + 1 WHERE period = $1";
const UPDATE_APPEAL: &str = "UPDATE appeals SET status = $2, escalated = $3, \
     decided_by = COALESCE($4, decided_by), decided_at = COALESCE($5, decided_at), \
     decision_reason = COALESCE($6, decision_reason), adjustment_id = COALESCE($7, adjustment_id), \
     before_total = COALESCE($8, before_total), before_points = COALESCE($9, before_points), \
     before_pay = COALESCE($10, before_pay) WHERE id = $1 AND status = $11";
/// After the recompute: the card's figures now.
const RECORD_AFTER: &str = "UPDATE appeals SET \
     after_total = (SELECT s.total FROM scorecards s WHERE s.period = appeals.period \
         AND s.employee_id = appeals.employee_id ORDER BY s.team_id LIMIT 1), \
     after_points = (SELECT SUM(s.points) FROM scorecards s WHERE s.period = appeals.period \
         AND s.employee_id = appeals.employee_id), \
     after_pay = (SELECT SUM(s.variable_pay) FROM scorecards s WHERE s.period = appeals.period \
         AND s.employee_id = appeals.employee_id) \
     WHERE id = $1";

/// Supervisors (other than the appellant) of the appellant's teams during the period.
fn notify_supervisors_sql(backend: Backend) -> String {
    format!(
        "INSERT INTO notifications (user_id, kind, subject, link, created_at) \
         SELECT u.id, $2, $3, $4, $5 FROM users u WHERE u.role = 'supervisor' \
         AND u.employee_id IS NOT NULL AND u.employee_id <> $1 AND {}",
        led_by_sql(backend, "$1", "$6", "u.employee_id")
    )
}

/// Whether the period's review window is open on `today`; PeriodClosed if it is closed.
fn window_open(
    period: Period,
    row: Option<(String, Option<NaiveDate>)>,
    today: NaiveDate,
) -> Result<bool, StoreError> {
    match row {
        Some((s, _)) if s == "closed" => Err(StoreError::PeriodClosed(period)),
        Some((s, Some(until))) if s == "in_review" => Ok(today <= until),
        _ => Ok(false),
    }
}

fn subject(a: &Appeal) -> String {
    format!(
        "#{} {} {} · {} {}",
        a.id,
        a.employee_no,
        a.period,
        a.target_kind.as_str(),
        a.target_ref
    )
}

impl Store {
    /// Submits an appeal against an item of the user's own card, while the period's review
    /// window is open (ReviewWindowClosed otherwise, PeriodClosed once closed). The item must
    /// exist on the card: a finding must be the employee's, of the period, and active; a QA
    /// item a review record of theirs in the period. Conflict if the same item already has an
    /// open appeal. Notifies the supervisors of the employee's teams (managers if none).
    pub async fn submit_appeal(&self, user: &User, a: &NewAppeal) -> Result<Appeal, StoreError> {
        if user.employee_id != Some(a.employee_id) {
            return Err(StoreError::Core(
                jixiao_core::CoreError::InvalidTransition {
                    what: "appeal",
                    from: "none".into(),
                    to: "submitted".into(),
                    reason: "only the employee may appeal their own card".into(),
                },
            ));
        }
        let reason = appeal::required("appeal reason", &a.reason)?;
        let evidence = appeal::optional("appeal evidence", &a.evidence)?;
        let target = appeal::target_ref(a.target_kind, &a.target_ref)?;
        let p_str = a.period.to_string();
        let kind = a.target_kind.as_str();
        let notify_sup = notify_supervisors_sql(self.backend());
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let w: Option<(String, Option<NaiveDate>)> =
                sqlx::query_as(WINDOW).bind(&p_str).fetch_optional(&mut *tx).await?;
            if !window_open(a.period, w, a.today)? {
                return Err(StoreError::ReviewWindowClosed(a.period));
            }
            let (_, _, cards): (Option<i64>, Option<i64>, i64) = sqlx::query_as(CARD_FIGURES)
                .bind(&p_str)
                .bind(a.employee_id)
                .fetch_one(&mut *tx)
                .await?;
            if cards == 0 {
                return Err(StoreError::NotFound(format!("scorecard {p_str}")));
            }
            match a.target_kind {
                TargetKind::Finding => {
                    let fid: i64 = target.parse().unwrap_or(0);
                    let status: Option<(String,)> = sqlx::query_as(FINDING_OF)
                        .bind(fid)
                        .bind(a.employee_id)
                        .bind(&p_str)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let (status,) = found(status, || format!("finding {fid}"))?;
                    if status != "active" {
                        return Err(crate::lifecycle::invalid(
                            "appealed finding",
                            &target,
                            "the finding is already overturned",
                        ));
                    }
                }
                TargetKind::Qa => {
                    let qa: Option<(i32,)> = sqlx::query_as(QA_OF)
                        .bind(&target)
                        .bind(a.employee_id)
                        .bind(&p_str)
                        .fetch_optional(&mut *tx)
                        .await?;
                    found(qa, || format!("QA review {target}"))?;
                }
                TargetKind::Kpi | TargetKind::Deduction => {}
            }
            let twin: Option<(i64,)> = sqlx::query_as(OPEN_TWIN)
                .bind(&p_str)
                .bind(a.employee_id)
                .bind(kind)
                .bind(&target)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((other,)) = twin {
                return Err(StoreError::Conflict(format!("open appeal {other}")));
            }
            let (id,): (i64,) = sqlx::query_as(INSERT_APPEAL)
                .bind(&p_str)
                .bind(a.employee_id)
                .bind(kind)
                .bind(&target)
                .bind(&reason)
                .bind(&evidence)
                .bind(false)
                .bind(&user.username)
                .bind(a.at)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(INSERT_EVENT)
                .bind(id)
                .bind("submit")
                .bind(None::<String>)
                .bind(AppealStatus::Submitted.as_str())
                .bind(&user.username)
                .bind(&reason)
                .bind(a.at)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&NewAudit {
                actor: user.username.clone(),
                kind: "appeal.submit".into(),
                subject: p_str.clone(),
                detail: serde_json::json!({
                    "appeal_id": id,
                    "employee_id": a.employee_id,
                    "target_kind": kind,
                    "target_ref": target,
                    "reason": reason,
                    "evidence": evidence,
                }),
                at: a.at,
            })
            .await?;
            let link = format!("/appeals/{id}");
            let subj = format!("#{id} {p_str} · {kind} {target}");
            let notified = sqlx::query(&notify_sup)
                .bind(a.employee_id)
                .bind("appeal.submitted")
                .bind(&subj)
                .bind(&link)
                .bind(a.at)
                .bind(&p_str)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if notified == 0 {
                let n = Notice { kind: "appeal.submitted", subject: &subj, link: &link, at: a.at };
                tx.notify_role(Role::Manager, n).await?;
            }
            tx.commit().await?;
            id
        });
        self.appeal(user, id).await
    }

    /// Takes a step on an appeal as `user`: the appellant withdraws or escalates a rejection;
    /// the supervisor of the appellant's team decides or escalates; a manager or admin decides.
    /// Anyone else gets NotFound. Accepting overturns the appealed finding, or records the
    /// decider's correction as an adjustment, and bumps the period's revision; the caller then
    /// recomputes the period and calls [`Store::record_appeal_after`] (see
    /// `service::step_appeal`). PeriodClosed once the period is closed.
    pub async fn step_appeal(
        &self,
        user: &User,
        id: i64,
        s: &AppealStep,
    ) -> Result<Appeal, StoreError> {
        let before = self.appeal_unchecked(id).await?;
        let mut party = self
            .party(user, before.employee_id, before.period, || {
                format!("appeal {id}")
            })
            .await?;
        if user.username == before.submitted_by {
            party = Party::Appellant;
        }
        let reason = match (s.action, party) {
            (Action::Withdraw, _) => appeal::optional("appeal reason", &s.reason)?,
            _ => appeal::required("decision reason", &s.reason)?,
        };
        let correction = match s.action {
            Action::Accept => appeal::check_correction(before.target_kind, s.points, s.pay)?,
            _ => None,
        };
        let p_str = before.period.to_string();
        let from = before.status;
        let scaled = |what, v: Decimal| {
            to_scaled(v, 2).ok_or_else(|| corrupt(what, &v.to_string(), "out of range"))
        };
        let correction_scaled = match correction {
            Some((pt, pay)) => Some((scaled("points", pt)?, scaled("pay", pay)?)),
            None => None,
        };
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            if !tx.lock_periods(std::slice::from_ref(&p_str)).await?.is_empty() {
                return Err(StoreError::PeriodClosed(before.period));
            }
            let w: Option<(String, Option<NaiveDate>)> =
                sqlx::query_as(WINDOW).bind(&p_str).fetch_optional(&mut *tx).await?;
            let open = window_open(before.period, w, s.today)?;
            let state = AppealState { status: from, escalated: before.escalated };
            let to = appeal::step(state, s.action, party, open)?;
            let decided = matches!(to, AppealStatus::Accepted | AppealStatus::Rejected);
            let mut adjustment_id = None;
            let mut figures: (Option<i64>, Option<i64>, Option<i64>) = (None, None, None);
            if to == AppealStatus::Accepted {
                let (points, pay, _): (Option<i64>, Option<i64>, i64) =
                    sqlx::query_as(CARD_FIGURES)
                        .bind(&p_str)
                        .bind(before.employee_id)
                        .fetch_one(&mut *tx)
                        .await?;
                let total: Option<(Option<i64>,)> = sqlx::query_as(CARD_TOTAL)
                    .bind(&p_str)
                    .bind(before.employee_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                figures = (total.and_then(|(t,)| t), points, pay);
                if before.target_kind == TargetKind::Finding {
                    let fid: i64 = before.target_ref.parse().unwrap_or(0);
                    let n = sqlx::query(OVERTURN)
                        .bind(fid)
                        .bind(&user.username)
                        .bind(s.at)
                        .bind(format!("appeal #{id}: {reason}"))
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    if n == 0 {
                        return Err(crate::lifecycle::invalid(
                            "appealed finding",
                            &before.target_ref,
                            "the finding is already overturned",
                        ));
                    }
                }
                if let Some((pt, pay)) = correction_scaled {
                    let (adj,): (i64,) = sqlx::query_as(INSERT_ADJUSTMENT)
                        .bind(&p_str)
                        .bind(before.employee_id)
                        .bind(pt)
                        .bind(pay)
                        .bind(format!("appeal #{id}: {reason}"))
                        .bind(&user.username)
                        .bind(s.at)
                        .fetch_one(&mut *tx)
                        .await?;
                    adjustment_id = Some(adj);
                }
                sqlx::query(BUMP_REVISION).bind(&p_str).execute(&mut *tx).await?;
            }
            let escalated = before.escalated || to == AppealStatus::Escalated;
            let changed = sqlx::query(UPDATE_APPEAL)
                .bind(id)
                .bind(to.as_str())
                .bind(escalated)
                .bind(decided.then(|| user.username.clone()))
                .bind(decided.then_some(s.at))
                .bind(decided.then(|| reason.clone()))
                .bind(adjustment_id)
                .bind(figures.0)
                .bind(figures.1)
                .bind(figures.2)
                .bind(from.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                // Someone else took a step first: report it as the illegal step it now is.
                return Err(StoreError::Core(jixiao_core::CoreError::InvalidTransition {
                    what: "appeal",
                    from: from.as_str().into(),
                    to: s.action.as_str().into(),
                    reason: "the appeal changed meanwhile".into(),
                }));
            }
            sqlx::query(INSERT_EVENT)
                .bind(id)
                .bind(s.action.as_str())
                .bind(Some(from.as_str()))
                .bind(to.as_str())
                .bind(&user.username)
                .bind(&reason)
                .bind(s.at)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&NewAudit {
                actor: user.username.clone(),
                kind: format!("appeal.{}", s.action.as_str()),
                subject: p_str.clone(),
                detail: serde_json::json!({
                    "appeal_id": id,
                    "employee_id": before.employee_id,
                    "target_kind": before.target_kind.as_str(),
                    "target_ref": before.target_ref,
                    "from": from.as_str(),
                    "to": to.as_str(),
                    "reason": reason,
                    "correction": correction.map(|(pt, pay)| serde_json::json!({
                        "points": pt.to_string(),
                        "pay": pay.to_string(),
                    })),
                    "adjustment_id": adjustment_id,
                }),
                at: s.at,
            })
            .await?;
            let subj = subject(&before);
            let link = format!("/appeals/{id}");
            let kind = format!("appeal.{}", to.as_str());
            let n = Notice { kind: &kind, subject: &subj, link: &link, at: s.at };
            match to {
                AppealStatus::Accepted | AppealStatus::Rejected => {
                    tx.notify_employee(before.employee_id, n).await?;
                }
                AppealStatus::Escalated => {
                    tx.notify_role(Role::Manager, n).await?;
                    if party != Party::Appellant {
                        tx.notify_employee(before.employee_id, n).await?;
                    }
                }
                AppealStatus::Submitted | AppealStatus::Withdrawn => {}
            }
            tx.commit().await?;
        });
        self.appeal(user, id).await
    }

    /// Stores the card's figures now as the appeal's "after" (called after the recompute that
    /// follows an accepted appeal).
    pub async fn record_appeal_after(&self, id: i64) -> Result<(), StoreError> {
        on_pool!(self, p => sqlx::query(RECORD_AFTER).bind(id).execute(p).await.map(|_| ()))?;
        Ok(())
    }
}

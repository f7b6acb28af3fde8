//! Reading appeals: one with its history, or a page of those in the user's scope.

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::appeal::{AppealStatus, TargetKind};
use jixiao_core::org::Role;
use rust_decimal::Decimal;
use serde::Serialize;

use super::scope::led_by_sql;
use crate::{Page, PageReq, Store, StoreError, User, found, limit_offset};

/// A card's headline figures at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CardFigures {
    /// The total score (none when the card has no scored item).
    pub total: Option<Decimal>,
    /// Points.
    pub points: Decimal,
    /// Variable pay.
    pub pay: Decimal,
}

/// One step in an appeal's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppealEvent {
    /// `submit`, `accept`, `reject`, `escalate`, `withdraw`.
    pub action: String,
    /// The status before (none for the submission).
    pub from_status: Option<String>,
    /// The status after.
    pub to_status: String,
    /// Who.
    pub actor: String,
    /// Why (may be empty for a withdrawal).
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A stored appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appeal {
    /// Id.
    pub id: i64,
    /// The period of the card appealed.
    pub period: Period,
    /// The appellant.
    pub employee_id: i64,
    /// Their employee number.
    pub employee_no: String,
    /// Their name.
    pub employee_name: String,
    /// What is appealed.
    pub target_kind: TargetKind,
    /// Which one (KPI code, scheme item, QA record id, finding id).
    pub target_ref: String,
    /// The appellant's reason.
    pub reason: String,
    /// The appellant's evidence (free text: call ids, links).
    pub evidence: String,
    /// Where it stands.
    pub status: AppealStatus,
    /// Whether it has been escalated.
    pub escalated: bool,
    /// Who submitted it (login name).
    pub submitted_by: String,
    /// When.
    pub submitted_at: DateTime<Utc>,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// The decision's reason.
    pub decision_reason: Option<String>,
    /// The adjustment an accepted KPI, deduction or QA appeal became.
    pub adjustment_id: Option<i64>,
    /// The card before the decision.
    pub before: Option<CardFigures>,
    /// The card after the decision (after the recompute).
    pub after: Option<CardFigures>,
    /// Its history, oldest first (filled by [`Store::appeal`], empty in lists).
    pub events: Vec<AppealEvent>,
}

/// Which appeals to list (always within the user's scope).
#[derive(Debug, Clone, Default)]
pub struct AppealFilter {
    /// Only this period.
    pub period: Option<Period>,
    /// Only this employee.
    pub employee_id: Option<i64>,
    /// Only this status.
    pub status: Option<AppealStatus>,
}

pub(crate) const APPEAL_COLUMNS: &str = "a.id, a.period, a.employee_id, e.employee_no, e.name, \
     a.target_kind, a.target_ref, a.reason, a.evidence, a.status, a.escalated, a.submitted_by, \
     a.submitted_at, a.decided_by, a.decided_at, a.decision_reason, a.adjustment_id, \
     a.before_total, a.before_points, a.before_pay, a.after_total, a.after_points, a.after_pay";

/// A row in two flattened halves (sqlx decodes tuples of at most 16 columns).
#[derive(sqlx::FromRow)]
pub(crate) struct AppealRow {
    #[sqlx(flatten)]
    head: HeadRow,
    #[sqlx(flatten)]
    tail: TailRow,
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    id: i64,
    period: String,
    employee_id: i64,
    employee_no: String,
    name: String,
    target_kind: String,
    target_ref: String,
    reason: String,
    evidence: String,
    status: String,
    escalated: bool,
    submitted_by: String,
}

#[derive(sqlx::FromRow)]
struct TailRow {
    submitted_at: DateTime<Utc>,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    decision_reason: Option<String>,
    adjustment_id: Option<i64>,
    before_total: Option<i64>,
    before_points: Option<i64>,
    before_pay: Option<i64>,
    after_total: Option<i64>,
    after_points: Option<i64>,
    after_pay: Option<i64>,
}

/// Scales of the scorecards table: total ×100, points ×10⁴, pay ×100.
fn figures(total: Option<i64>, points: Option<i64>, pay: Option<i64>) -> Option<CardFigures> {
    Some(CardFigures {
        total: total.map(|t| Decimal::new(t, 2)),
        points: Decimal::new(points?, 4),
        pay: Decimal::new(pay?, 2),
    })
}

impl AppealRow {
    pub(crate) fn into_appeal(self) -> Result<Appeal, StoreError> {
        let (h, t) = (self.head, self.tail);
        Ok(Appeal {
            id: h.id,
            period: h.period.parse()?,
            employee_id: h.employee_id,
            employee_no: h.employee_no,
            employee_name: h.name,
            target_kind: TargetKind::parse(&h.target_kind)?,
            target_ref: h.target_ref,
            reason: h.reason,
            evidence: h.evidence,
            status: AppealStatus::parse(&h.status)?,
            escalated: h.escalated,
            submitted_by: h.submitted_by,
            submitted_at: t.submitted_at,
            decided_by: t.decided_by,
            decided_at: t.decided_at,
            decision_reason: t.decision_reason,
            adjustment_id: t.adjustment_id,
            before: figures(t.before_total, t.before_points, t.before_pay),
            after: figures(t.after_total, t.after_points, t.after_pay),
            events: Vec::new(),
        })
    }
}

impl Store {
    /// One appeal with its history, if `user` may see it (the appellant, their supervisor in
    /// the period, a manager or an admin); NotFound otherwise, as for a missing id.
    pub async fn appeal(&self, user: &User, id: i64) -> Result<Appeal, StoreError> {
        let mut appeal = self.appeal_unchecked(id).await?;
        self.party(user, appeal.employee_id, appeal.period, || {
            format!("appeal {id}")
        })
        .await?;
        let sql = "SELECT action, from_status, to_status, actor, reason, at FROM appeal_events \
                   WHERE appeal_id = $1 ORDER BY id";
        type Row = (
            String,
            Option<String>,
            String,
            String,
            String,
            DateTime<Utc>,
        );
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
        appeal.events = rows
            .into_iter()
            .map(
                |(action, from_status, to_status, actor, reason, at)| AppealEvent {
                    action,
                    from_status,
                    to_status,
                    actor,
                    reason,
                    at,
                },
            )
            .collect();
        Ok(appeal)
    }

    /// One appeal without its history and without a scope check (callers check).
    pub(crate) async fn appeal_unchecked(&self, id: i64) -> Result<Appeal, StoreError> {
        let sql = format!(
            "SELECT {APPEAL_COLUMNS} FROM appeals a JOIN employees e ON e.id = a.employee_id \
             WHERE a.id = $1"
        );
        let row: Option<AppealRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        found(row, || format!("appeal {id}"))?.into_appeal()
    }

    /// A page of the appeals `user` may see, newest first: all for a manager or admin; for a
    /// supervisor those of employees in their teams during the appeal's period, and their own;
    /// for anyone else only their own.
    pub async fn appeals(
        &self,
        user: &User,
        filter: &AppealFilter,
        page: PageReq,
    ) -> Result<Page<Appeal>, StoreError> {
        let (limit, offset, page) = limit_offset(page);
        let mode = match user.role {
            Role::Admin | Role::Manager => "all",
            Role::Supervisor => "sup",
            Role::Qa | Role::Agent => "own",
        };
        let scope = format!(
            "($1 = 'all' OR a.employee_id = $2 OR ($1 = 'sup' AND {}))",
            led_by_sql(self.backend(), "a.employee_id", "a.period", "$2")
        );
        let filters = "($3 IS NULL OR a.period = $3) AND ($4 IS NULL OR a.employee_id = $4) \
                       AND ($5 IS NULL OR a.status = $5)";
        let list = format!(
            "SELECT {APPEAL_COLUMNS} FROM appeals a JOIN employees e ON e.id = a.employee_id \
             WHERE {scope} AND {filters} ORDER BY a.id DESC LIMIT $6 OFFSET $7"
        );
        let count = format!("SELECT COUNT(*) FROM appeals a WHERE {scope} AND {filters}");
        // An account without an employee matches no employee id.
        let me = user.employee_id.unwrap_or(-1);
        let period = filter.period.map(|p| p.to_string());
        let status = filter.status.map(|s| s.as_str());
        let (rows, (total,)): (Vec<AppealRow>, (i64,)) = on_pool!(self, p => {
            let rows = sqlx::query_as(&list)
                .bind(mode)
                .bind(me)
                .bind(&period)
                .bind(filter.employee_id)
                .bind(status)
                .bind(limit)
                .bind(offset)
                .fetch_all(p)
                .await?;
            let total = sqlx::query_as(&count)
                .bind(mode)
                .bind(me)
                .bind(&period)
                .bind(filter.employee_id)
                .bind(status)
                .fetch_one(p)
                .await?;
            (rows, total)
        });
        Ok(Page {
            items: rows
                .into_iter()
                .map(AppealRow::into_appeal)
                .collect::<Result<_, _>>()?,
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }
}

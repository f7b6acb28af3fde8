//! `/api/v1/appeals…` (docs/FAIRNESS.md). Scope is the pages': an agent sees their own
//! appeals, a supervisor those of their teams' members in the period, managers and admins all;
//! anything else is the same 404 as a missing id.

use axum::Json;
use axum::extract::{Path, Query, State};
use jixiao_core::Period;
use jixiao_store::{Appeal, AppealFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Paging;
use super::dto::{ApiPage, ErrorBody};
use crate::appeals::{self as uc, AppealInput, StepInput};
use crate::auth::CurrentUser;
use crate::{AppState, WebError};

/// A card's figures (decimals as strings).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFigures {
    /// Total score (none when nothing is scored).
    pub total: Option<String>,
    /// Points.
    pub points: String,
    /// Variable pay.
    pub pay: String,
}

/// One step of an appeal's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAppealEvent {
    /// `submit`, `accept`, `reject`, `escalate`, `withdraw`.
    pub action: String,
    /// Status after it.
    pub to_status: String,
    /// Who.
    pub actor: String,
    /// Why.
    pub reason: String,
    /// When (RFC 3339).
    pub at: String,
}

/// An appeal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAppeal {
    /// Id.
    pub id: i64,
    /// Period, `YYYY-MM`.
    pub period: String,
    /// Appellant's employee id.
    pub employee_id: i64,
    /// Appellant's employee number.
    pub employee_no: String,
    /// `kpi`, `deduction`, `qa` or `finding`.
    pub target_kind: String,
    /// The item: KPI code, scheme item, QA record id or finding id.
    pub target_ref: String,
    /// Why.
    pub reason: String,
    /// Evidence.
    pub evidence: String,
    /// `submitted`, `escalated`, `accepted`, `rejected` or `withdrawn`.
    pub status: String,
    /// Whether it was escalated.
    pub escalated: bool,
    /// Who submitted it.
    pub submitted_by: String,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// The decision's reason.
    pub decision_reason: Option<String>,
    /// The adjustment an accepted KPI/deduction/QA appeal became.
    pub adjustment_id: Option<i64>,
    /// The card before an accepted appeal.
    pub before: Option<ApiFigures>,
    /// The card after it (recomputed).
    pub after: Option<ApiFigures>,
    /// History (empty in lists).
    pub events: Vec<ApiAppealEvent>,
}

fn figures(f: jixiao_store::CardFigures, pay: bool) -> ApiFigures {
    ApiFigures {
        total: f.total.map(|t| t.to_string()),
        points: f.points.to_string(),
        // Roles that see no pay see no pay here either.
        pay: if pay {
            f.pay.to_string()
        } else {
            String::new()
        },
    }
}

impl ApiAppeal {
    fn new(a: Appeal, pay: bool) -> ApiAppeal {
        ApiAppeal {
            id: a.id,
            period: a.period.to_string(),
            employee_id: a.employee_id,
            employee_no: a.employee_no,
            target_kind: a.target_kind.as_str().into(),
            target_ref: a.target_ref,
            reason: a.reason,
            evidence: a.evidence,
            status: a.status.as_str().into(),
            escalated: a.escalated,
            submitted_by: a.submitted_by,
            decided_by: a.decided_by,
            decision_reason: a.decision_reason,
            adjustment_id: a.adjustment_id,
            before: a.before.map(|f| figures(f, pay)),
            after: a.after.map(|f| figures(f, pay)),
            events: a
                .events
                .into_iter()
                .map(|e| ApiAppealEvent {
                    action: e.action,
                    to_status: e.to_status,
                    actor: e.actor,
                    reason: e.reason,
                    at: e.at.to_rfc3339(),
                })
                .collect(),
        }
    }
}

pub(super) fn period(s: Option<&str>) -> Result<Option<Period>, WebError> {
    s.map(|p| {
        p.parse()
            .map_err(|e: jixiao_core::CoreError| WebError::Invalid(e.to_string()))
    })
    .transpose()
}

/// `?period=&employee_id=&status=&page=&per_page=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AppealQuery {
    /// Only this period, `YYYY-MM`.
    period: Option<String>,
    /// Only this employee.
    employee_id: Option<i64>,
    /// Only this status.
    status: Option<String>,
    /// 1-based page.
    page: Option<u32>,
    /// Rows per page, 1–500.
    per_page: Option<u32>,
}

/// The appeals the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/appeals", operation_id = "appeals_list", tag = "appeals",
    params(AppealQuery),
    responses(
        (status = 200, description = "A page of appeals", body = ApiPage<ApiAppeal>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AppealQuery>,
) -> Result<Json<ApiPage<ApiAppeal>>, WebError> {
    let filter = AppealFilter {
        period: period(q.period.as_deref())?,
        employee_id: q.employee_id,
        status: q.status.as_deref().and_then(uc::status_filter),
    };
    let paging = Paging {
        page: q.page,
        per_page: q.per_page,
    };
    let page = state
        .store
        .appeals(&user.user, &filter, paging.req())
        .await?;
    let pay = user.user.role.sees_pay();
    Ok(Json(ApiPage::from_page(page, |a| ApiAppeal::new(a, pay))))
}

/// An appeal to submit against the caller's own card.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitAppeal {
    /// Period of the card, `YYYY-MM`.
    pub period: String,
    /// `kpi`, `deduction`, `qa` or `finding`.
    pub target_kind: String,
    /// The item.
    pub target_ref: String,
    /// Why (required).
    pub reason: String,
    /// Evidence.
    #[serde(default)]
    pub evidence: String,
}

/// Submits an appeal against an item of the caller's own card, while the review window is open.
#[utoipa::path(post, path = "/api/v1/appeals", operation_id = "appeal_submit", tag = "appeals",
    request_body = SubmitAppeal,
    responses(
        (status = 200, description = "The submitted appeal", body = ApiAppeal),
        (status = 404, description = "No card, or the item is not on it", body = ErrorBody),
        (status = 409, description = "Review window not open, period closed, not one's own card, or already appealed", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<SubmitAppeal>,
) -> Result<Json<ApiAppeal>, WebError> {
    let p = period(Some(&body.period))?.ok_or(WebError::NotFound)?;
    let employee_id = user.user.employee_id.ok_or(WebError::NotFound)?;
    let input = AppealInput {
        kind: &body.target_kind,
        target: &body.target_ref,
        reason: &body.reason,
        evidence: &body.evidence,
    };
    let a = uc::submit(&state.store, &user.user, p, employee_id, input).await?;
    Ok(Json(ApiAppeal::new(a, user.user.role.sees_pay())))
}

/// One appeal with its history.
#[utoipa::path(get, path = "/api/v1/appeals/{id}", operation_id = "appeal_get", tag = "appeals",
    params(("id" = i64, Path, description = "Appeal id")),
    responses(
        (status = 200, description = "The appeal", body = ApiAppeal),
        (status = 404, description = "Missing or out of scope", body = ErrorBody),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ApiAppeal>, WebError> {
    let a = state.store.appeal(&user.user, id).await?;
    Ok(Json(ApiAppeal::new(a, user.user.role.sees_pay())))
}

/// A decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecideAppeal {
    /// `accept` or `reject`.
    pub decision: String,
    /// Why (required).
    pub reason: String,
    /// Correction points when accepting a KPI, deduction or QA appeal.
    #[serde(default)]
    pub points: Option<String>,
    /// Correction pay.
    #[serde(default)]
    pub pay: Option<String>,
}

async fn take(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: StepInput<'_>,
) -> Result<Json<ApiAppeal>, WebError> {
    let a = uc::step(&state.store, &user.user, id, input).await?;
    Ok(Json(ApiAppeal::new(a, user.user.role.sees_pay())))
}

/// Decides an appeal: the appellant's supervisor (submitted), or a manager or admin. Nobody
/// decides their own appeal. Accepting recomputes the period and returns the card before and
/// after.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/decide", operation_id = "appeal_decide", tag = "appeals",
    params(("id" = i64, Path, description = "Appeal id")),
    request_body = DecideAppeal,
    responses(
        (status = 200, description = "The decided appeal", body = ApiAppeal),
        (status = 404, description = "Missing or out of scope", body = ErrorBody),
        (status = 409, description = "Not allowed from this state or by this user, or the period is closed", body = ErrorBody),
        (status = 422, description = "Invalid input (a missing reason or correction)", body = ErrorBody),
    ))]
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<DecideAppeal>,
) -> Result<Json<ApiAppeal>, WebError> {
    if !matches!(body.decision.as_str(), "accept" | "reject") {
        return Err(WebError::Invalid(format!(
            "invalid decision {:?}: accept or reject",
            body.decision
        )));
    }
    let input = StepInput {
        action: &body.decision,
        reason: &body.reason,
        points: body.points.as_deref().unwrap_or(""),
        pay: body.pay.as_deref().unwrap_or(""),
    };
    take(&state, &user, id, input).await
}

/// A reason.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Reason {
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// Escalates to the performance managers: the supervisor instead of deciding, or the
/// appellant once after a rejection while the review window is open.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/escalate", operation_id = "appeal_escalate", tag = "appeals",
    params(("id" = i64, Path, description = "Appeal id")),
    request_body = Reason,
    responses(
        (status = 200, description = "The escalated appeal", body = ApiAppeal),
        (status = 404, description = "Missing or out of scope", body = ErrorBody),
        (status = 409, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn escalate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Reason>,
) -> Result<Json<ApiAppeal>, WebError> {
    let input = StepInput {
        action: "escalate",
        reason: &body.reason,
        points: "",
        pay: "",
    };
    take(&state, &user, id, input).await
}

/// Withdraws the caller's own submitted appeal.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/withdraw", operation_id = "appeal_withdraw", tag = "appeals",
    params(("id" = i64, Path, description = "Appeal id")),
    request_body = Reason,
    responses(
        (status = 200, description = "The withdrawn appeal", body = ApiAppeal),
        (status = 404, description = "Missing or out of scope", body = ErrorBody),
        (status = 409, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Reason>,
) -> Result<Json<ApiAppeal>, WebError> {
    let input = StepInput {
        action: "withdraw",
        reason: &body.reason,
        points: "",
        pay: "",
    };
    take(&state, &user, id, input).await
}

//! A period's lifecycle through the API, as on the periods and agent pages: opening the review
//! window (admin, manager) and adjustments to an agent's card (listed for whoever sees the
//! agent; added by admins and managers while the period is not closed).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::adjustment::AdjustmentLine;
use jixiao_store::{NewAdjustment, service};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{ApiPeriod, ErrorBody};
use crate::auth::{AgentScope, Authorized, Managers, PeriodPath};
use crate::{AppState, WebError};

/// When the review window ends.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewBody {
    /// The window's last day, `YYYY-MM-DD`, on or after the period's last day.
    pub until: NaiveDate,
}

/// Opens the review window of a computed period, or moves the end of a running one (admin,
/// manager): agents see their results and may appeal until `until`, and are notified; new
/// records still recompute the cards. Audited. 409 `invalid_transition` for a period that was
/// never computed, `period_closed` for a closed one; 422 `invalid_input` for an end before
/// the period's last day.
#[utoipa::path(post, path = "/api/v1/periods/{period}/review", operation_id = "open_review", tag = "scores",
    params(("period" = String, Path, description = "The month, YYYY-MM")),
    request_body = ReviewBody,
    responses(
        (status = 200, description = "The period, in review", body = ApiPeriod),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers open reviews", body = ErrorBody),
        (status = 404, description = "Malformed period", body = ErrorBody),
        (status = 409, description = "Not computed yet, or closed", body = ErrorBody),
        (status = 422, description = "The end is before the period's last day", body = ErrorBody),
    ))]
pub async fn review(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    PeriodPath(period): PeriodPath,
    Json(body): Json<ReviewBody>,
) -> Result<Json<ApiPeriod>, WebError> {
    let by = &auth.user.user.username;
    service::open_review(&state.store, period, body.until, by, Utc::now()).await?;
    tracing::info!(%period, until = %body.until, by, "review window opened via API");
    Ok(Json(state.store.period_info(period).await?.into()))
}

/// An adjustment to an agent's card in a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAdjustment {
    /// The adjustment's id.
    pub id: i64,
    /// Points added (negative: removed), a decimal string.
    #[schema(value_type = String)]
    pub points: Decimal,
    /// Pay added (negative: deducted), a decimal string; null for callers who do not see pay
    /// (QA).
    #[schema(value_type = Option<String>)]
    pub pay: Option<Decimal>,
    /// Why.
    pub reason: String,
    /// The closed period it corrects, `YYYY-MM`, if any.
    pub corrects: Option<String>,
    /// Who entered it.
    pub author: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl ApiAdjustment {
    fn new(a: AdjustmentLine, sees_pay: bool) -> ApiAdjustment {
        ApiAdjustment {
            id: a.id,
            points: a.points,
            pay: sees_pay.then_some(a.pay),
            reason: a.reason,
            corrects: a.corrects.map(|p| p.to_string()),
            author: a.author,
            created_at: a.created_at,
        }
    }
}

/// An adjustment to add: the agent page's form. Amounts are decimal strings; an absent one is
/// zero, and at least one must not be.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AdjustmentBody {
    /// Points to add (negative: remove), at most two decimals.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub points: Option<Decimal>,
    /// Pay to add (negative: deduct), in whole fen.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub pay: Option<Decimal>,
    /// Why (required, not blank).
    #[serde(default)]
    pub reason: String,
    /// The closed period it corrects, `YYYY-MM`, if any.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub corrects: Option<Period>,
}

/// The agent's adjustments in the period, oldest first, for whoever may see the agent's
/// scorecard (agents themselves, supervisors of their teams, everyone else); pay is left out
/// for those who do not see pay.
#[utoipa::path(get, path = "/api/v1/periods/{period}/agents/{employee_no}/adjustments", operation_id = "list_adjustments", tag = "scores",
    params(
        ("period" = String, Path, description = "The month, YYYY-MM"),
        ("employee_no" = String, Path, description = "Employee number"),
    ),
    responses(
        (status = 200, description = "The adjustments", body = [ApiAdjustment]),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such agent, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn adjustments(
    State(state): State<AppState>,
    scope: AgentScope,
) -> Result<Json<Vec<ApiAdjustment>>, WebError> {
    let all = state
        .store
        .adjustments(scope.period, Some(scope.employee.id))
        .await?;
    let sees_pay = scope.user.user.role.sees_pay();
    Ok(Json(
        all.into_iter()
            .map(|(_, a)| ApiAdjustment::new(a, sees_pay))
            .collect(),
    ))
}

/// Adds an adjustment to the agent's card in the period (admin, manager), audited
/// (`adjustment.add`); the period is recomputed, so the card shows it at once. 409
/// `period_closed` for a closed period; 422 `invalid_input` for a blank reason, no non-zero
/// amount, pay below the fen or points beyond two decimals.
#[utoipa::path(post, path = "/api/v1/periods/{period}/agents/{employee_no}/adjustments", operation_id = "add_adjustment", tag = "scores",
    params(
        ("period" = String, Path, description = "The month, YYYY-MM"),
        ("employee_no" = String, Path, description = "Employee number"),
    ),
    request_body = AdjustmentBody,
    responses(
        (status = 200, description = "The stored adjustment", body = ApiAdjustment),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers add adjustments", body = ErrorBody),
        (status = 404, description = "No such agent", body = ErrorBody),
        (status = 409, description = "The period is closed", body = ErrorBody),
        (status = 422, description = "Invalid adjustment", body = ErrorBody),
    ))]
pub async fn adjust(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    scope: AgentScope,
    Json(body): Json<AdjustmentBody>,
) -> Result<Json<ApiAdjustment>, WebError> {
    let adjustment = NewAdjustment {
        period: scope.period,
        employee_id: scope.employee.id,
        points: body.points.unwrap_or_default(),
        pay: body.pay.unwrap_or_default(),
        reason: body.reason,
        corrects: body.corrects,
        author: scope.user.user.username.clone(),
        at: Utc::now(),
    };
    let line = service::add_adjustment(&state.store, &adjustment).await?;
    Ok(Json(ApiAdjustment::new(line, true)))
}

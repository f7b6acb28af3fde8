//! Targets: a period's targets with every unit's share, the add-back-up check and attainment
//! (managers and admins all units, supervisors their own teams'); setting and removing one;
//! a department's head.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::targets::{SplitMethod, TargetPlan};
use jixiao_store::service::{self, TargetOverview};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::{Authorized, Managers, PeriodPath, PeriodViewers};
use crate::{AppState, WebError};

/// How a unit's target goes to its parts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiSplit {
    /// Each part's target is given in `explicit`; they must add up.
    Explicit,
    /// In proportion to headcount (agents with a day in the team in the period).
    Headcount,
    /// In proportion to the previous period's value of the measure on the stored cards.
    History,
}

impl From<ApiSplit> for SplitMethod {
    fn from(s: ApiSplit) -> Self {
        match s {
            ApiSplit::Explicit => SplitMethod::Explicit,
            ApiSplit::Headcount => SplitMethod::Headcount,
            ApiSplit::History => SplitMethod::History,
        }
    }
}

impl From<SplitMethod> for ApiSplit {
    fn from(s: SplitMethod) -> Self {
        match s {
            SplitMethod::Explicit => ApiSplit::Explicit,
            SplitMethod::Headcount => ApiSplit::Headcount,
            SplitMethod::History => ApiSplit::History,
        }
    }
}

/// A target to set: the center's whole and how it is split, level by level.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApiTargetPlan {
    /// `points`, `handled`, `tickets_resolved`, `chat_sessions`, `orders_paid` or `order_amount`.
    pub measure: String,
    /// The center's target (a decimal string).
    #[schema(value_type = String)]
    pub whole: Decimal,
    /// Decimal places of every share, 0–2 (default 0).
    #[serde(default)]
    pub dp: u32,
    /// Center → departments.
    pub departments: ApiSplit,
    /// Department → teams.
    pub teams: ApiSplit,
    /// Team → agents.
    pub agents: ApiSplit,
    /// Explicit targets by unit key: `department:ID`, `team:ID`, `agent:TEAM_ID:EMPLOYEE_ID`.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, String>)]
    pub explicit: BTreeMap<String, Decimal>,
}

/// One unit's share of a target.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTargetUnit {
    /// `center`, `department:ID`, `team:ID` or `agent:TEAM_ID:EMPLOYEE_ID`.
    pub unit: String,
    /// Code and name.
    pub label: String,
    /// 0 for the center.
    pub depth: u32,
    /// The unit's target.
    pub target: Decimal,
    /// Σ its parts' targets; null without parts.
    pub parts_total: Option<Decimal>,
    /// Whether the parts add back up to the target.
    pub adds_up: bool,
    /// Σ the measure over the unit's stored cards of the period.
    pub actual: Decimal,
    /// actual ÷ target × 100, two decimals; null for a target of 0.
    pub attainment: Option<Decimal>,
}

/// A period's target of one measure.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTarget {
    /// The measure.
    pub measure: String,
    /// The center's target.
    pub whole: Decimal,
    /// Decimal places of the shares.
    pub dp: u32,
    /// Center → departments.
    pub departments: ApiSplit,
    /// Department → teams.
    pub teams: ApiSplit,
    /// Team → agents.
    pub agents: ApiSplit,
    /// Explicit values given, by unit key.
    #[schema(value_type = BTreeMap<String, String>)]
    pub explicit: BTreeMap<String, Decimal>,
    /// Who set it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Whether every unit's parts add back up.
    pub adds_up: bool,
    /// The units the caller may see, the center first, each before its parts.
    pub units: Vec<ApiTargetUnit>,
}

impl From<TargetOverview> for ApiTarget {
    fn from(t: TargetOverview) -> Self {
        ApiTarget {
            measure: t.measure,
            whole: t.whole,
            dp: t.plan.dp,
            departments: t.plan.departments.into(),
            teams: t.plan.teams.into(),
            agents: t.plan.agents.into(),
            explicit: t.plan.explicit,
            created_by: t.created_by,
            created_at: t.created_at,
            adds_up: t.adds_up,
            units: t
                .rows
                .into_iter()
                .map(|r| ApiTargetUnit {
                    unit: r.unit,
                    label: r.label,
                    depth: r.depth,
                    target: r.target,
                    parts_total: r.parts_total,
                    adds_up: r.adds_up,
                    actual: r.actual,
                    attainment: r.attainment,
                })
                .collect(),
        }
    }
}

/// A period's targets (admin, manager: every unit; supervisor: only the teams they lead and
/// their agents, and only targets that reach them).
#[utoipa::path(get, path = "/api/v1/periods/{period}/targets", operation_id = "targets", tag = "targets",
    params(("period" = String, Path, description = "The month, YYYY-MM")),
    responses(
        (status = 200, description = "The targets", body = [ApiTarget]),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Agents and QA see no targets", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    auth: Authorized<PeriodViewers>,
    PeriodPath(period): PeriodPath,
) -> Result<Json<Vec<ApiTarget>>, WebError> {
    let scope = crate::targets::scope(&state.store, &auth.user)
        .await?
        .ok_or(WebError::Forbidden)?;
    let all = service::target_overview(&state.store, period, &scope).await?;
    Ok(Json(all.into_iter().map(ApiTarget::from).collect()))
}

async fn one(state: &AppState, period: Period, measure: &str) -> Result<ApiTarget, WebError> {
    let all = service::target_overview(&state.store, period, &service::TargetScope::All).await?;
    all.into_iter()
        .find(|t| t.measure == measure)
        .map(ApiTarget::from)
        .ok_or(WebError::NotFound)
}

/// Sets (or replaces) a period's target of a measure (admin, manager): split over the
/// period's organisation, stored with every unit's share and audited; a computed period is
/// recomputed, so leaders' cards show it. 422 `invalid_input` when explicit values do not add
/// up (the message names the unit and the difference) or the measure is not additive; 409
/// `period_closed` on a closed period.
#[utoipa::path(put, path = "/api/v1/periods/{period}/targets", operation_id = "set_target", tag = "targets",
    params(("period" = String, Path, description = "The month, YYYY-MM")),
    request_body = ApiTargetPlan,
    responses(
        (status = 200, description = "The stored target", body = ApiTarget),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers set targets", body = ErrorBody),
        (status = 409, description = "The period is closed", body = ErrorBody),
        (status = 422, description = "The plan is invalid or does not add up", body = ErrorBody),
    ))]
pub async fn set(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    PeriodPath(period): PeriodPath,
    Json(req): Json<ApiTargetPlan>,
) -> Result<Json<ApiTarget>, WebError> {
    let plan = TargetPlan {
        measure: req.measure,
        whole: req.whole,
        dp: req.dp,
        departments: req.departments.into(),
        teams: req.teams.into(),
        agents: req.agents.into(),
        explicit: req.explicit,
    };
    let by = &auth.user.user.username;
    service::set_target(&state.store, period, &plan, by, Utc::now()).await?;
    Ok(Json(one(&state, period, &plan.measure).await?))
}

/// Removes a period's target of a measure (admin, manager), audited.
#[utoipa::path(delete, path = "/api/v1/periods/{period}/targets/{measure}", operation_id = "delete_target", tag = "targets",
    params(
        ("period" = String, Path, description = "The month, YYYY-MM"),
        ("measure" = String, Path, description = "The target's measure"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers remove targets", body = ErrorBody),
        (status = 404, description = "No such target", body = ErrorBody),
        (status = 409, description = "The period is closed", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path((period, measure)): Path<(String, String)>,
) -> Result<StatusCode, WebError> {
    let period: Period = period.parse().map_err(|_| WebError::NotFound)?;
    let by = &auth.user.user.username;
    service::delete_target(&state.store, period, &measure, by, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A department's head to set: an employee number, or null (or blank) to clear it.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct HeadBody {
    /// The head's employee number; null, absent or blank clears the head.
    #[serde(default)]
    pub employee_no: Option<String>,
}

/// A department and its head.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiDepartmentHead {
    /// The department's id.
    pub department_id: i64,
    /// Its code.
    pub department_code: String,
    /// Its name.
    pub department_name: String,
    /// The head's employee number; null when it has none.
    pub head_employee_no: Option<String>,
    /// The head's name.
    pub head_name: Option<String>,
}

/// Sets (or clears) a department's head (admin, manager), as `/config/targets` does: audited
/// (`department.head`), and every computed or in-review period with targets is recomputed, so
/// the head's leader card shows the department's attainment. 422 `invalid_input` for an
/// unknown employee number.
#[utoipa::path(post, path = "/api/v1/departments/{department_code}/head", operation_id = "set_department_head", tag = "targets",
    params(("department_code" = String, Path, description = "The department's code, e.g. CALL")),
    request_body = HeadBody,
    responses(
        (status = 200, description = "The department with its head", body = ApiDepartmentHead),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers set department heads", body = ErrorBody),
        (status = 404, description = "No such department", body = ErrorBody),
        (status = 422, description = "Unknown employee number", body = ErrorBody),
    ))]
pub async fn head(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path(code): Path<String>,
    Json(body): Json<HeadBody>,
) -> Result<Json<ApiDepartmentHead>, WebError> {
    let d = state
        .store
        .departments()
        .await?
        .into_iter()
        .find(|d| d.code == code)
        .ok_or(WebError::NotFound)?;
    let no = body.employee_no.unwrap_or_default();
    let by = &auth.user.user.username;
    crate::targets::set_head(&state.store, d.id, &no, by, Utc::now()).await?;
    let head = match state.store.department_heads().await?.get(&d.id) {
        Some(&id) => Some(state.store.employee(id).await?),
        None => None,
    };
    Ok(Json(ApiDepartmentHead {
        department_id: d.id,
        department_code: d.code,
        department_name: d.name,
        head_employee_no: head.as_ref().map(|e| e.employee_no.as_str().to_string()),
        head_name: head.map(|e| e.name),
    }))
}

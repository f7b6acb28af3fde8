//! The records behind an agent's numbers, one page at a time: the API twin of the records
//! pages, with the same scope (a supervisor sees the agent's time in their own teams only).

use axum::Json;
use axum::extract::{Query, State};

use super::dto::{ApiCall, ApiPage, ApiQa, ApiSurvey, ErrorBody};
use super::scores::ListQuery;
use crate::auth::AgentScope;
use crate::{AppState, WebError, queries};

/// An agent's calls in a period, by time.
#[utoipa::path(get, path = "/api/v1/periods/{period}/agents/{employee_no}/calls", operation_id = "agent_calls", tag = "records",
    params(
        ("period" = String, Path, description = "The month, YYYY-MM"),
        ("employee_no" = String, Path, description = "Employee number"),
        ListQuery,
    ),
    responses(
        (status = 200, description = "One page of calls", body = ApiPage<ApiCall>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such agent or team, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn calls(
    State(state): State<AppState>,
    scope: AgentScope,
    Query(q): Query<ListQuery>,
) -> Result<Json<ApiPage<ApiCall>>, WebError> {
    let team = queries::record_team(&scope, q.team)?;
    let (id, period) = (scope.employee.id, scope.period);
    let page = state
        .store
        .calls_of(id, team, period, q.paging().req())
        .await?;
    Ok(Json(ApiPage::from_page(page, ApiCall::from)))
}

/// Satisfaction surveys about an agent in a period, by date.
#[utoipa::path(get, path = "/api/v1/periods/{period}/agents/{employee_no}/surveys", operation_id = "agent_surveys", tag = "records",
    params(
        ("period" = String, Path, description = "The month, YYYY-MM"),
        ("employee_no" = String, Path, description = "Employee number"),
        ListQuery,
    ),
    responses(
        (status = 200, description = "One page of surveys", body = ApiPage<ApiSurvey>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such agent or team, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn surveys(
    State(state): State<AppState>,
    scope: AgentScope,
    Query(q): Query<ListQuery>,
) -> Result<Json<ApiPage<ApiSurvey>>, WebError> {
    let team = queries::record_team(&scope, q.team)?;
    let (id, period) = (scope.employee.id, scope.period);
    let page = state
        .store
        .surveys_of(id, team, period, q.paging().req())
        .await?;
    Ok(Json(ApiPage::from_page(page, ApiSurvey::from)))
}

/// QA reviews of an agent in a period, by date.
#[utoipa::path(get, path = "/api/v1/periods/{period}/agents/{employee_no}/qa", operation_id = "agent_qa", tag = "records",
    params(
        ("period" = String, Path, description = "The month, YYYY-MM"),
        ("employee_no" = String, Path, description = "Employee number"),
        ListQuery,
    ),
    responses(
        (status = 200, description = "One page of QA reviews", body = ApiPage<ApiQa>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such agent or team, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn qa(
    State(state): State<AppState>,
    scope: AgentScope,
    Query(q): Query<ListQuery>,
) -> Result<Json<ApiPage<ApiQa>>, WebError> {
    let team = queries::record_team(&scope, q.team)?;
    let (id, period) = (scope.employee.id, scope.period);
    let page = state
        .store
        .qa_of(id, team, period, q.paging().req())
        .await?;
    Ok(Json(ApiPage::from_page(page, ApiQa::from)))
}

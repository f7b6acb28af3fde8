//! `/api/v1/me`, periods and scorecards: the data of the overview, team and agent pages.

use axum::Json;
use axum::extract::{Query, State};
use chrono::Utc;
use jixiao_core::Period;
use jixiao_core::org::Role;
use jixiao_core::scorecard::Scorecard;
use jixiao_store::{CardFilter, Page, Store, service};
use serde::Deserialize;
use utoipa::IntoParams;

use super::Paging;
use super::dto::{AgentCards, ApiPage, ApiPeriod, ApiScorecard, Closed, ErrorBody, Me, TeamCards};
use crate::auth::{
    AgentScope, Authorized, CurrentUser, Managers, PeriodPath, PeriodViewers, TeamScope,
};
use crate::{AppState, WebError, queries};

/// `?team=&page=&per_page=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this team (it must be in the caller's scope).
    pub(super) team: Option<i64>,
    /// 1-based page (default 1).
    page: Option<u32>,
    /// Rows per page, 1–500 (default 50).
    per_page: Option<u32>,
}

impl ListQuery {
    /// The paging part.
    pub(super) fn paging(&self) -> Paging {
        Paging {
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// Who the request is authenticated as.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "me", tag = "session",
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "No, unknown or revoked token", body = ErrorBody),
    ))]
pub async fn me(user: CurrentUser) -> Json<Me> {
    Json(Me {
        id: user.user.id,
        username: user.user.username,
        role: user.user.role.into(),
        employee_id: user.user.employee_id,
        locale: user.user.locale,
        auth: if user.api_token.is_some() {
            "token"
        } else {
            "session"
        }
        .to_string(),
        token_id: user.api_token,
    })
}

/// Periods, newest first (admin, manager, supervisor).
#[utoipa::path(get, path = "/api/v1/periods", operation_id = "list_periods", tag = "scores",
    responses(
        (status = 200, description = "Every period with data", body = Vec<ApiPeriod>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The role may not list periods", body = ErrorBody),
    ))]
pub async fn periods(
    State(state): State<AppState>,
    _auth: Authorized<PeriodViewers>,
) -> Result<Json<Vec<ApiPeriod>>, WebError> {
    let periods = state.store.periods().await?;
    Ok(Json(periods.into_iter().map(ApiPeriod::from).collect()))
}

/// The scorecards of a period the caller may see, by team then rank: the whole center for
/// admin, manager and QA; a supervisor's own teams; an agent's own cards.
#[utoipa::path(get, path = "/api/v1/periods/{period}/scorecards", operation_id = "list_scorecards", tag = "scores",
    params(("period" = String, Path, description = "The month, YYYY-MM"), ListQuery),
    responses(
        (status = 200, description = "One page of scorecards", body = ApiPage<ApiScorecard>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "Malformed period, or a team outside the caller's scope", body = ErrorBody),
    ))]
pub async fn scorecards(
    State(state): State<AppState>,
    user: CurrentUser,
    PeriodPath(period): PeriodPath,
    Query(q): Query<ListQuery>,
) -> Result<Json<ApiPage<ApiScorecard>>, WebError> {
    let cards = visible_cards(&state.store, &user, period, q.team).await?;
    let page = Page::of(cards, q.paging().req());
    let sees_pay = user.user.role.sees_pay();
    Ok(Json(ApiPage::from_page(page, |c| {
        ApiScorecard::new(c, sees_pay)
    })))
}

/// The cards of `period` within the user's scope, optionally of one team (404 if that team is
/// outside the scope, exactly as if it did not exist).
async fn visible_cards(
    store: &Store,
    user: &CurrentUser,
    period: Period,
    team: Option<i64>,
) -> Result<Vec<Scorecard>, WebError> {
    let role = user.user.role;
    let mut filter = CardFilter {
        team_ids: team.map(|t| vec![t]),
        ..CardFilter::default()
    };
    match (role, user.user.employee_id) {
        (r, _) if r.sees_whole_center() => {}
        (Role::Supervisor, employee) => {
            let led = match employee {
                Some(id) => store.teams_led_by(id).await?,
                None => Vec::new(),
            };
            match team {
                Some(t) if !led.contains(&t) => return Err(WebError::NotFound),
                Some(_) => {}
                None => filter.team_ids = Some(led),
            }
        }
        (_, Some(own)) => filter.employee_id = Some(own),
        (_, None) => return Ok(Vec::new()),
    }
    if let Some(t) = team {
        // A team id that does not exist is a 404, like one outside the scope.
        store.team(t).await?;
    }
    Ok(store.scorecards(period, &filter).await?)
}

/// A team's scorecards (admin, manager, QA; a supervisor for the teams they lead).
#[utoipa::path(get, path = "/api/v1/periods/{period}/teams/{team_id}", operation_id = "get_team", tag = "scores",
    params(
        ("period" = String, Path, description = "The month, YYYY-MM"),
        ("team_id" = i64, Path, description = "Team id"),
    ),
    responses(
        (status = 200, description = "The team and its ranked cards", body = TeamCards),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such team, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn team(
    State(state): State<AppState>,
    scope: TeamScope,
) -> Result<Json<TeamCards>, WebError> {
    let cards = queries::team_cards(&state.store, scope.period, scope.team.id).await?;
    let sees_pay = scope.user.user.role.sees_pay();
    Ok(Json(TeamCards {
        period: scope.period.to_string(),
        team: scope.team.into(),
        scorecards: cards
            .into_iter()
            .map(|c| ApiScorecard::new(c, sees_pay))
            .collect(),
    }))
}

/// An agent's stored scorecards with their explanation (every KPI's numerator, denominator,
/// rule, score and weight, and the points lines). Agents see only themselves; supervisors the
/// segments in their teams.
#[utoipa::path(get, path = "/api/v1/periods/{period}/agents/{employee_no}", operation_id = "get_agent", tag = "scores",
    params(
        ("period" = String, Path, description = "The month, YYYY-MM"),
        ("employee_no" = String, Path, description = "Employee number"),
    ),
    responses(
        (status = 200, description = "The agent and their cards", body = AgentCards),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such agent, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn agent(
    State(state): State<AppState>,
    scope: AgentScope,
) -> Result<Json<AgentCards>, WebError> {
    let filter = queries::agent_filter(&scope);
    let cards = state.store.scorecards(scope.period, &filter).await?;
    let sees_pay = scope.user.user.role.sees_pay();
    Ok(Json(AgentCards {
        period: scope.period.to_string(),
        employee: scope.employee.into(),
        scorecards: cards
            .into_iter()
            .map(|c| ApiScorecard::new(c, sees_pay))
            .collect(),
    }))
}

/// Closes a period (admin, manager): computes the final scorecards, stores them with their
/// SHA-256 and locks the period. 409 `period_closed` if it is closed already.
#[utoipa::path(post, path = "/api/v1/periods/{period}/close", operation_id = "close_period", tag = "scores",
    params(("period" = String, Path, description = "The month, YYYY-MM")),
    responses(
        (status = 200, description = "Closed", body = Closed),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers close periods", body = ErrorBody),
        (status = 409, description = "Already closed", body = ErrorBody),
    ))]
pub async fn close(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    PeriodPath(period): PeriodPath,
) -> Result<Json<Closed>, WebError> {
    let by = &auth.user.user.username;
    let hash = service::close(&state.store, period, by, Utc::now()).await?;
    tracing::info!(%period, hash, by, token = auth.user.api_token, "period closed via API");
    Ok(Json(Closed {
        period: period.to_string(),
        snapshot_hash: hash,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::DEFAULT_PER_PAGE;
    use super::*;

    #[test]
    fn list_paging_defaults_to_the_first_page_of_fifty_and_caps_the_size() {
        let q = ListQuery {
            team: None,
            page: None,
            per_page: None,
        };
        assert_eq!(q.paging().req().page, 1);
        assert_eq!(q.paging().req().per_page, DEFAULT_PER_PAGE);
        let big = ListQuery {
            team: None,
            page: Some(0),
            per_page: Some(10_000),
        };
        assert_eq!(
            (big.paging().req().page, big.paging().req().per_page),
            (1, 500)
        );
    }
}

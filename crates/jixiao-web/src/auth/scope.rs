//! Scope extractors: resolve the path's period, team or agent and check the user may see it.
//! Anything out of scope is reported exactly like something that does not exist (404).

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_core::Period;
use jixiao_core::org::{Employee, EmployeeNo, Role, Team};

use super::CurrentUser;
use crate::{AppState, WebError};

async fn path_params(
    parts: &mut Parts,
    state: &AppState,
) -> Result<HashMap<String, String>, WebError> {
    Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map(|Path(p)| p)
        .map_err(|_| WebError::NotFound)
}

fn period_param(params: &HashMap<String, String>) -> Result<Period, WebError> {
    params
        .get("period")
        .and_then(|p| p.parse().ok())
        .ok_or(WebError::NotFound)
}

/// The `{period}` path segment, parsed (a malformed one is a 404).
#[derive(Debug, Clone, Copy)]
pub struct PeriodPath(pub Period);

impl FromRequestParts<AppState> for PeriodPath {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let params = path_params(parts, state).await?;
        period_param(&params).map(PeriodPath)
    }
}

/// Teams a supervisor leads (empty for a supervisor without an employee record).
async fn led_teams(state: &AppState, user: &CurrentUser) -> Result<Vec<i64>, WebError> {
    match user.user.employee_id {
        Some(id) => Ok(state.store.teams_led_by(id).await?),
        None => Ok(Vec::new()),
    }
}

/// `/p/{period}/teams/{team_id}`: admin, manager and QA see any team; a supervisor only the
/// teams they lead; agents none.
#[derive(Debug, Clone)]
pub struct TeamScope {
    /// Who asks.
    pub user: CurrentUser,
    /// The period.
    pub period: Period,
    /// The team.
    pub team: Team,
}

impl FromRequestParts<AppState> for TeamScope {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let params = path_params(parts, state).await?;
        let period = period_param(&params)?;
        let team_id: i64 = params
            .get("team_id")
            .and_then(|t| t.parse().ok())
            .ok_or(WebError::NotFound)?;
        let allowed = match user.user.role {
            r if r.sees_whole_center() => true,
            Role::Supervisor => led_teams(state, &user).await?.contains(&team_id),
            _ => false,
        };
        if !allowed {
            return Err(WebError::NotFound);
        }
        let team = state.store.team(team_id).await?;
        Ok(TeamScope { user, period, team })
    }
}

/// `/p/{period}/agents/{employee_no}…`: agents see only themselves; supervisors only employees
/// with a membership in one of their teams during the period (and only those teams' segments);
/// everyone else sees all.
#[derive(Debug, Clone)]
pub struct AgentScope {
    /// Who asks.
    pub user: CurrentUser,
    /// The period.
    pub period: Period,
    /// The agent.
    pub employee: Employee,
    /// Teams whose segments the user may see; `None` means all.
    pub visible_teams: Option<Vec<i64>>,
}

impl AgentScope {
    /// Whether a segment in `team_id` is visible.
    pub fn sees_team(&self, team_id: i64) -> bool {
        self.visible_teams
            .as_ref()
            .is_none_or(|teams| teams.contains(&team_id))
    }
}

impl FromRequestParts<AppState> for AgentScope {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let params = path_params(parts, state).await?;
        let period = period_param(&params)?;
        let no = params
            .get("employee_no")
            .and_then(|n| EmployeeNo::parse(n).ok())
            .ok_or(WebError::NotFound)?;
        let employee = state.store.employee_by_no(no.as_str()).await?;
        let visible_teams = match user.user.role {
            Role::Agent if user.user.employee_id == Some(employee.id) => None,
            Role::Agent => return Err(WebError::NotFound),
            Role::Supervisor => {
                let led = led_teams(state, &user).await?;
                let mut shared: Vec<i64> = state
                    .store
                    .memberships_in(period)
                    .await?
                    .into_iter()
                    .filter(|m| m.employee_id == employee.id && led.contains(&m.team_id))
                    .map(|m| m.team_id)
                    .collect();
                shared.sort_unstable();
                shared.dedup();
                if shared.is_empty() {
                    return Err(WebError::NotFound);
                }
                Some(shared)
            }
            _ => None,
        };
        Ok(AgentScope {
            user,
            period,
            employee,
            visible_teams,
        })
    }
}

/// `/p/{period}`: the center overview for admin, manager and QA. Supervisors are sent to their
/// first team; agents are refused.
#[derive(Debug, Clone)]
pub struct CenterScope {
    /// Who asks.
    pub user: CurrentUser,
    /// The period.
    pub period: Period,
}

/// Why a [`CenterScope`] was not granted.
#[derive(Debug)]
pub enum CenterRejection {
    /// A supervisor, sent to their own team.
    Redirect(String),
    /// Anything else.
    Error(WebError),
}

impl From<WebError> for CenterRejection {
    fn from(e: WebError) -> Self {
        CenterRejection::Error(e)
    }
}

impl IntoResponse for CenterRejection {
    fn into_response(self) -> Response {
        match self {
            CenterRejection::Redirect(to) => Redirect::to(&to).into_response(),
            CenterRejection::Error(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for CenterScope {
    type Rejection = CenterRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, CenterRejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let PeriodPath(period) = PeriodPath::from_request_parts(parts, state).await?;
        match user.user.role {
            r if r.sees_whole_center() => Ok(CenterScope { user, period }),
            Role::Supervisor => match led_teams(state, &user).await?.first() {
                Some(team) => Err(CenterRejection::Redirect(format!(
                    "/p/{period}/teams/{team}"
                ))),
                None => Err(WebError::NotFound.into()),
            },
            _ => Err(WebError::Forbidden.into()),
        }
    }
}

//! Scopes of the issue-5 pages: who may rate a team's behaviour, compare teams, and see a
//! competition. Out of scope is reported like missing (404) wherever the thing is not already
//! visible to the role.

use std::collections::BTreeSet;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jixiao_core::org::Role;

use super::{CurrentUser, TeamScope};
use crate::{AppState, WebError};

/// `/p/{period}/teams/{team_id}/behaviour`: a team scope whose user may rate: admins and
/// managers any team, a supervisor the teams they lead. QA sees the team but may not rate
/// (403: the team's existence is no secret to QA); agents get the team scope's 404.
#[derive(Debug, Clone)]
pub struct RaterScope(pub TeamScope);

impl FromRequestParts<AppState> for RaterScope {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let scope = TeamScope::from_request_parts(parts, state).await?;
        match scope.user.user.role {
            Role::Admin | Role::Manager | Role::Supervisor => Ok(RaterScope(scope)),
            _ => Err(WebError::Forbidden),
        }
    }
}

/// The teams a user may compare or see in competitions: `None` means every team (admin,
/// manager, QA); a supervisor the teams they lead; nobody else any.
pub async fn visible_teams(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Option<BTreeSet<i64>>, WebError> {
    match (user.user.role, user.user.employee_id) {
        (r, _) if r.sees_whole_center() => Ok(None),
        (Role::Supervisor, Some(id)) => Ok(Some(
            state.store.teams_led_by(id).await?.into_iter().collect(),
        )),
        _ => Ok(Some(BTreeSet::new())),
    }
}

//! A team's ranked table.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use jixiao_core::org::Role;
use serde::Deserialize;

use super::render;
use crate::auth::{PeriodViewers, Policy, TeamScope};
use crate::i18n::Lang;
use crate::queries;
use crate::view::team::{Sort, TeamPage};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// `?sort=column&dir=asc|desc`.
#[derive(Debug, Deserialize)]
pub struct SortQuery {
    sort: Option<String>,
    dir: Option<String>,
}

/// `GET /p/{period}/teams/{team_id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    scope: TeamScope,
    Query(q): Query<SortQuery>,
) -> Result<Response, WebError> {
    let data = queries::team(&state.store, scope.period, scope.team.id).await?;
    let role = scope.user.user.role;
    let c = Chrome::new(lang, &scope.user, Some(scope.period), Section::Scores);
    let sort = Sort::parse(q.sort.as_deref(), q.dir.as_deref());
    let can_export = PeriodViewers::allows(role);
    let mut page = TeamPage::build(
        c,
        scope.period,
        &scope.team,
        data,
        &sort,
        role.sees_pay(),
        can_export,
    );
    // The same roles `RaterScope` lets rate; the scope already holds a supervisor to their
    // own teams.
    if matches!(role, Role::Admin | Role::Manager | Role::Supervisor) {
        let (p, t) = (scope.period, scope.team.id);
        page.behaviour_href = Some(format!("/p/{p}/teams/{t}/behaviour"));
    }
    Ok(render(&page)?.into_response())
}

//! `/` (redirect by role) and the center overview.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::render;
use crate::auth::{CenterScope, CurrentUser};
use crate::i18n::Lang;
use crate::queries;
use crate::view::overview::OverviewPage;
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// `GET /`: agents to their scorecard, supervisors to their team, others to the overview.
pub async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    let to = queries::home_target(&state.store, &user, Utc::now()).await?;
    Ok(Redirect::to(&to).into_response())
}

/// `GET /p/{period}`.
pub async fn overview(
    State(state): State<AppState>,
    lang: Lang,
    scope: CenterScope,
) -> Result<Response, WebError> {
    let data = queries::overview(&state.store, scope.period, &scope.user).await?;
    let c = Chrome::new(lang, &scope.user, Some(scope.period), Section::Scores);
    let show_pay = scope.user.user.role.sees_pay();
    Ok(render(&OverviewPage::build(c, show_pay, data))?.into_response())
}

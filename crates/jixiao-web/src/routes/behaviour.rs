//! `/p/{period}/teams/{team_id}/behaviour`: a supervisor rates each agent of their team on the
//! anchored 1–5 behaviour scale (admins and managers any team).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::render;
use crate::auth::{CsrfForm, HasCsrf, RaterScope};
use crate::i18n::Lang;
use crate::people;
use crate::view::behaviour::BehaviourPage;
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// `GET`: the scale and the team's members with their ratings.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    RaterScope(scope): RaterScope,
) -> Result<Response, WebError> {
    let data = people::team_ratings(&state.store, scope.period, scope.team).await?;
    let c = Chrome::new(lang, &scope.user, Some(scope.period), Section::Scores);
    Ok(render(&BehaviourPage::build(c, scope.period, data))?.into_response())
}

/// The rating form.
#[derive(Debug, Deserialize)]
pub struct RateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    employee_no: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    comment: String,
}

impl HasCsrf for RateForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Parses a level field: 1–5 (the store checks the range).
pub(crate) fn level(s: &str) -> Result<u8, WebError> {
    s.trim()
        .parse()
        .map_err(|_| WebError::Invalid(format!("behaviour level {s:?}: expected 1 to 5")))
}

/// `POST`: records the rating (audited) and recomputes the period.
pub async fn rate(
    State(state): State<AppState>,
    RaterScope(scope): RaterScope,
    CsrfForm { user, form }: CsrfForm<RateForm>,
) -> Result<Response, WebError> {
    people::rate(
        &state.store,
        scope.period,
        scope.team.id,
        form.employee_no.trim(),
        level(&form.level)?,
        &form.comment,
        &user.user.username,
    )
    .await?;
    let to = format!("/p/{}/teams/{}/behaviour", scope.period, scope.team.id);
    Ok(Redirect::to(&to).into_response())
}

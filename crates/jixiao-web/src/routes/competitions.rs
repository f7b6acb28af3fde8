//! `/p/{period}/compare` (teams side by side) and `/competitions` (definitions, standings,
//! "my rank").

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::render;
use crate::auth::{
    Authorized, CsrfForm, CurrentUser, HasCsrf, Managers, PeriodPath, PeriodViewers, Policy,
    visible_teams,
};
use crate::compete;
use crate::i18n::Lang;
use crate::view::compare::ComparePage;
use crate::view::competitions::{CompetitionPage, CompetitionVm, CompetitionsPage, metric_choices};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// `GET /p/{period}/compare?team=1&team=2` (or `?teams=1,2`): admins, managers, supervisors
/// (their own teams; another team is a 404).
pub async fn compare(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<PeriodViewers>,
    PeriodPath(period): PeriodPath,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let ids = compete::team_ids(query.as_deref().unwrap_or_default())?;
    let visible = visible_teams(&state, &auth.user).await?;
    let data = compete::compare(&state.store, period, visible.as_ref(), &ids).await?;
    let c = Chrome::new(lang, &auth.user, Some(period), Section::Scores);
    let show_pay = auth.user.user.role.sees_pay();
    Ok(render(&ComparePage::build(c, period, show_pay, data))?.into_response())
}

/// `GET /competitions`: the competitions the user may see; managers also get the form.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let seen = compete::competitions(&state.store, &user).await?;
    let can_create = Managers::allows(user.user.role);
    let mut entrants = Vec::new();
    if can_create {
        for t in state.store.teams().await? {
            entrants.push((t.code, t.name));
        }
        for e in state.store.employees().await? {
            entrants.push((e.employee_no.to_string(), e.name));
        }
    }
    let c = Chrome::new(lang, &user, None, Section::Scores);
    let page = CompetitionsPage {
        items: seen.iter().map(|s| CompetitionVm::build(c.t, s)).collect(),
        can_create,
        metrics: metric_choices(c.t),
        entrants,
        error: None,
        c,
    };
    Ok(render(&page)?.into_response())
}

/// `GET /competitions/{id}`: one the user may see, else 404.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = crate::error::id_param(&id)?;
    let seen = compete::competition(&state.store, &user, id).await?;
    let c = Chrome::new(lang, &user, None, Section::Scores);
    let item = CompetitionVm::build(c.t, &seen);
    Ok(render(&CompetitionPage { c, item })?.into_response())
}

/// The create form.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    metric: String,
    #[serde(default)]
    first: String,
    #[serde(default)]
    last: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    entrants: String,
    #[serde(default)]
    prize: String,
}

impl HasCsrf for CreateForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /competitions` (admin, manager): defines a competition (audited).
pub async fn create(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<CreateForm>,
) -> Result<Response, WebError> {
    let input = compete::CompetitionInput {
        name: form.name,
        metric: form.metric,
        first: form.first,
        last: form.last,
        direction: form.direction,
        kind: form.kind,
        entrants: form.entrants,
        prize: form.prize,
    };
    let id = compete::create_competition(&state.store, &user, input).await?;
    Ok(Redirect::to(&format!("/competitions/{id}")).into_response())
}

//! `/p/{period}/compare` (teams side by side) and `/competitions` (definitions, standings,
//! "my rank").

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use jixiao_core::Period;
use jixiao_store::{Competition, EntrantKind, Store};
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
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
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

fn period(s: &str) -> Result<Period, WebError> {
    s.trim()
        .parse()
        .map_err(|e: jixiao_core::CoreError| WebError::Invalid(e.to_string()))
}

/// Team codes or employee numbers, comma or space separated, to ids; an unknown one is a 422.
async fn entrant_ids(store: &Store, kind: EntrantKind, raw: &str) -> Result<Vec<i64>, WebError> {
    let teams = store.teams().await?;
    let mut ids = Vec::new();
    for code in raw
        .split([',', ' ', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let id = match kind {
            EntrantKind::Team => teams.iter().find(|t| t.code == code).map(|t| t.id),
            EntrantKind::Agent => store.employee_by_no(code).await.ok().map(|e| e.id),
        };
        ids.push(id.ok_or_else(|| WebError::Invalid(format!("unknown entrant {code}")))?);
    }
    Ok(ids)
}

/// `POST /competitions` (admin, manager): defines a competition (audited).
pub async fn create(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<CreateForm>,
) -> Result<Response, WebError> {
    let kind = EntrantKind::parse(form.kind.trim())?;
    let c = Competition {
        id: 0,
        name: form.name,
        metric: form.metric.trim().to_string(),
        first_period: period(&form.first)?,
        last_period: period(&form.last)?,
        entrant_kind: kind,
        entrants: entrant_ids(&state.store, kind, &form.entrants).await?,
        higher_is_better: form.direction.trim() != "lower",
        prize: form.prize,
        created_by: user.user.username.clone(),
        created_at: Utc::now(),
    };
    let id = state.store.create_competition(&c).await?;
    Ok(Redirect::to(&format!("/competitions/{id}")).into_response())
}

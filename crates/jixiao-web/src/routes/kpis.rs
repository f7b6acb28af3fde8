//! `/config/kpis` (admins and managers): the KPI library and the custom KPI formula editor.
//!
//! The editor is one urlencoded form with two buttons: Check re-renders the page with the
//! validation result (so the page works without JavaScript), Save stores the definition as
//! the next version of its code. `/static/kdef.js` checks as the formula is typed, through
//! `POST /api/v1/kpis/check`.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde::Deserialize;

use super::render;
use crate::auth::{Authorized, CsrfForm, Managers};
use crate::i18n::Lang;
use crate::kdefs::{self, KdefForm};
use crate::view::kpis::{KpiEditPage, KpisPage, ResultVm, href};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The KPI routes, merged into the app's router.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/config/kpis", get(list))
        .route("/config/kpis/new", get(new_form))
        .route("/config/kpis/check", post(check))
        .route("/config/kpis/save", post(save))
        .route("/config/kpis/{code}", get(edit_form))
        .route("/static/kdef.js", get(super::assets::kdef_js))
}

/// `GET /config/kpis`.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
) -> Result<Response, WebError> {
    let defs = state.store.kpi_definitions().await?;
    let c = Chrome::new(lang, &auth.user, None, Section::Imports);
    Ok(render(&KpisPage::build(c, defs))?.into_response())
}

/// `GET /config/kpis/new`.
pub async fn new_form(lang: Lang, auth: Authorized<Managers>) -> Result<Response, WebError> {
    let c = Chrome::new(lang, &auth.user, None, Section::Imports);
    Ok(render(&KpiEditPage::build(c, KdefForm::default(), None))?.into_response())
}

/// `?saved=N` after a save's redirect.
#[derive(Debug, Deserialize)]
pub struct EditQuery {
    saved: Option<u32>,
}

/// `GET /config/kpis/{code}`: the editor on the code's latest version.
pub async fn edit_form(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Path(code): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Response, WebError> {
    let latest = state.store.latest_kpi_definitions().await?;
    let stored = latest
        .iter()
        .find(|s| s.definition.code == code)
        .ok_or(WebError::NotFound)?;
    let c = Chrome::new(lang, &auth.user, None, Section::Imports);
    let mut page = KpiEditPage::open(c, stored);
    page.saved = q.saved.map_or(String::new(), |v| v.to_string());
    Ok(render(&page)?.into_response())
}

/// The latest version of `code`, if it is saved.
async fn latest_version(state: &AppState, code: &str) -> Result<Option<u32>, WebError> {
    let latest = state.store.latest_kpi_definitions().await?;
    Ok(latest
        .into_iter()
        .find(|s| s.definition.code == code.trim())
        .map(|s| s.definition.version))
}

/// `POST /config/kpis/check`: the editor again, with the formula's validation result.
pub async fn check(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<KdefForm>,
) -> Result<Response, WebError> {
    let result = ResultVm::check(kdefs::check(&form.formula, form.unit()));
    let version = latest_version(&state, &form.code).await?;
    let c = Chrome::new(lang, &user, None, Section::Imports);
    let mut page = KpiEditPage::build(c, form, version);
    let status = if result.ok {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.result = Some(result);
    Ok((status, render(&page)?).into_response())
}

/// `POST /config/kpis/save`: stores the next version and opens it, or shows why it cannot.
pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<KdefForm>,
) -> Result<Response, WebError> {
    let by = &user.user.username;
    let problem = match kdefs::save(&state.store, &form, by, Utc::now()).await? {
        Ok(s) => {
            let (code, version) = (&s.definition.code, s.definition.version);
            return Ok(Redirect::to(&format!("{}?saved={version}", href(code))).into_response());
        }
        Err(problem) => problem,
    };
    let version = latest_version(&state, &form.code).await?;
    let c = Chrome::new(lang, &user, None, Section::Imports);
    let mut page = KpiEditPage::build(c, form, version);
    page.result = Some(ResultVm::refused(problem));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

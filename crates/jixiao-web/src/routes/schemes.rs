//! `/config/schemes` (admins and managers): each department's assessment scheme, and its TOML
//! editor. One form with two buttons, like the KPI editor: Check shows the scheme in summary
//! (or why it is refused), Save stores it and recomputes the unclosed periods with cards.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::render;
use crate::auth::{Authorized, CsrfForm, CurrentUser, Managers};
use crate::i18n::Lang;
use crate::schemes::{self, SchemeForm};
use crate::view::schemes::{DepartmentVm, SchemeEditPage, SchemesPage, SummaryVm};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The scheme routes, merged into the app's router.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/config/schemes", get(list))
        .route("/config/schemes/{code}", get(edit))
        .route("/config/schemes/{code}/check", post(check))
        .route("/config/schemes/{code}/save", post(save))
}

/// `GET /config/schemes`.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
) -> Result<Response, WebError> {
    let departments = schemes::all(&state.store)
        .await?
        .into_iter()
        .map(|(d, rules)| DepartmentVm {
            code: d.code,
            name: d.name,
            unit_price: rules
                .as_ref()
                .map_or(String::new(), |(_, p)| p.normalize().to_string()),
            summary: rules.map(|(s, _)| SummaryVm::of(&s)),
        })
        .collect();
    let c = Chrome::new(lang, &auth.user, None, Section::Periods);
    Ok(render(&SchemesPage { c, departments })?.into_response())
}

/// `?saved=1` after a save's redirect.
#[derive(Debug, Deserialize)]
pub struct EditQuery {
    saved: Option<String>,
}

/// `GET /config/schemes/{code}`: the editor on the stored scheme.
pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Path(code): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Response, WebError> {
    let (d, rules) = schemes::one(&state.store, &code).await?;
    let page = SchemeEditPage {
        c: Chrome::new(lang, &auth.user, None, Section::Periods),
        code: d.code,
        name: d.name,
        toml: rules
            .as_ref()
            .map_or(String::new(), |(s, _)| schemes::to_toml(s)),
        summary: rules.map(|(s, _)| SummaryVm::of(&s)),
        error: None,
        saved: q.saved.is_some(),
    };
    Ok(render(&page)?.into_response())
}

/// The editor on the submitted TOML, with its summary or why it is refused (422).
async fn again(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    code: &str,
    form: SchemeForm,
) -> Result<Response, WebError> {
    let (d, _) = schemes::one(&state.store, code).await?;
    let checked = schemes::parse(&form.toml);
    let (summary, error, status) = match checked {
        Ok(s) => (Some(SummaryVm::of(&s)), None, StatusCode::OK),
        Err(WebError::Invalid(m)) => (None, Some(m), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e),
    };
    let page = SchemeEditPage {
        c: Chrome::new(lang, user, None, Section::Periods),
        code: d.code,
        name: d.name,
        toml: form.toml,
        summary,
        error,
        saved: false,
    };
    Ok((status, render(&page)?).into_response())
}

/// `POST /config/schemes/{code}/check`.
pub async fn check(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    Path(code): Path<String>,
    CsrfForm { user, form }: CsrfForm<SchemeForm>,
) -> Result<Response, WebError> {
    again(&state, lang, &user, &code, form).await
}

/// `POST /config/schemes/{code}/save`: stores the scheme and opens the editor again, or shows
/// why it cannot (422, nothing stored).
pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    Path(code): Path<String>,
    CsrfForm { user, form }: CsrfForm<SchemeForm>,
) -> Result<Response, WebError> {
    let (d, _) = schemes::one(&state.store, &code).await?;
    let Ok(scheme) = schemes::parse(&form.toml) else {
        return again(&state, lang, &user, &code, form).await;
    };
    schemes::save(&state.store, d.id, &scheme, &user.user.username).await?;
    // Department codes are short ASCII codes (`CALL`), safe in a path as they are.
    let to = format!("/config/schemes/{}?saved=1", d.code);
    Ok(Redirect::to(&to).into_response())
}

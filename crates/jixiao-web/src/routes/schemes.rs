//! `/config/schemes` (admins and managers): each department's assessment scheme and the
//! schemes of positions within departments, and their TOML editor. One form with two buttons,
//! like the KPI editor: Check shows the scheme in summary (or why it is refused), Save stores
//! it and recomputes the unclosed periods with cards.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::render;
use crate::auth::{Authorized, CsrfForm, CurrentUser, Managers};
use crate::i18n::Lang;
use crate::schemes::{self, SchemeForm, path_segment};
use crate::view::fmt::plain;
use crate::view::schemes::{DepartmentVm, PositionVm, SchemeEditPage, SchemesPage, SummaryVm};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The scheme routes, merged into the app's router.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/config/schemes", get(list))
        .route("/config/schemes/{code}", get(edit))
        .route("/config/schemes/{code}/check", post(check))
        .route("/config/schemes/{code}/save", post(save))
        .route("/config/schemes/{code}/positions", get(open_position))
        .route(
            "/config/schemes/{code}/positions/{position}",
            get(edit_position),
        )
        .route(
            "/config/schemes/{code}/positions/{position}/check",
            post(check_position),
        )
        .route(
            "/config/schemes/{code}/positions/{position}/save",
            post(save_position),
        )
        .route(
            "/config/schemes/{code}/positions/{position}/delete",
            post(delete_position),
        )
}

/// The editor's base path of a department's or a position's scheme.
fn action(code: &str, position: Option<&str>) -> String {
    // Department codes are short ASCII codes (`CALL`), safe in a path as they are.
    match position {
        None => format!("/config/schemes/{code}"),
        Some(p) => format!("/config/schemes/{code}/positions/{}", path_segment(p)),
    }
}

/// `GET /config/schemes`.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
) -> Result<Response, WebError> {
    let positions = schemes::all_positions(&state.store).await?;
    let departments = schemes::all(&state.store)
        .await?
        .into_iter()
        .map(|(d, rules)| DepartmentVm {
            positions: positions
                .iter()
                .filter(|p| p.department.id == d.id)
                .filter_map(|p| {
                    let (scheme, price) = p.own.as_ref()?;
                    Some(PositionVm {
                        position: p.position.clone(),
                        href: action(&d.code, Some(&p.position)),
                        summary: SummaryVm::of(scheme),
                        unit_price: price.map_or(String::new(), plain),
                    })
                })
                .collect(),
            code: d.code,
            name: d.name,
            unit_price: rules
                .as_ref()
                .map_or(String::new(), |(_, p)| p.normalize().to_string()),
            summary: rules.map(|(s, _)| SummaryVm::of(&s)),
        })
        .collect();
    let c = Chrome::new(lang, &auth.user, None, Section::Periods);
    let known_positions = schemes::known_positions(&state.store).await?;
    Ok(render(&SchemesPage {
        c,
        departments,
        known_positions,
    })?
    .into_response())
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
        action: action(&d.code, None),
        code: d.code,
        name: d.name,
        position: None,
        unit_price: String::new(),
        department_price: rules.as_ref().map_or(String::new(), |(_, p)| plain(*p)),
        inherited: false,
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
    position: Option<&str>,
    form: SchemeForm,
) -> Result<Response, WebError> {
    let (d, rules) = schemes::one(&state.store, code).await?;
    let position = match position {
        Some(p) => Some(schemes::one_position(&state.store, code, p).await?.position),
        None => None,
    };
    let mut checked = schemes::parse(&form.toml).map(|s| SummaryVm::of(&s));
    if position.is_some()
        && let Err(e) = schemes::parse_price(&form.unit_price)
    {
        checked = Err(e);
    }
    let (summary, error, status) = match checked {
        Ok(s) => (Some(s), None, StatusCode::OK),
        Err(WebError::Invalid(m)) => (None, Some(m), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e),
    };
    let page = SchemeEditPage {
        c: Chrome::new(lang, user, None, Section::Periods),
        action: action(&d.code, position.as_deref()),
        code: d.code,
        name: d.name,
        position,
        unit_price: form.unit_price,
        department_price: rules.as_ref().map_or(String::new(), |(_, p)| plain(*p)),
        inherited: false,
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
    again(&state, lang, &user, &code, None, form).await
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
        return again(&state, lang, &user, &code, None, form).await;
    };
    schemes::save(&state.store, d.id, &scheme, &user.user.username).await?;
    let to = format!("{}?saved=1", action(&d.code, None));
    Ok(Redirect::to(&to).into_response())
}

/// `?position=` of the list's "add a position scheme" form.
#[derive(Debug, Deserialize)]
pub struct PositionQuery {
    #[serde(default)]
    position: String,
}

/// `GET /config/schemes/{code}/positions?position=…`: to the position's editor.
pub async fn open_position(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(code): Path<String>,
    Query(q): Query<PositionQuery>,
) -> Result<Response, WebError> {
    let p = schemes::one_position(&state.store, &code, &q.position).await?;
    Ok(Redirect::to(&action(&p.department.code, Some(&p.position))).into_response())
}

/// `GET /config/schemes/{code}/positions/{position}`: the editor on the position's scheme,
/// or on the department's as a starting point while the position has none.
pub async fn edit_position(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Path((code, position)): Path<(String, String)>,
    Query(q): Query<EditQuery>,
) -> Result<Response, WebError> {
    let p = schemes::one_position(&state.store, &code, &position).await?;
    let inherited = p.own.is_none();
    let (scheme, price) = match (&p.own, &p.department_rules) {
        (Some((s, price)), _) => (Some(s), price.map_or(String::new(), plain)),
        (None, Some((s, _))) => (Some(s), String::new()),
        (None, None) => (None, String::new()),
    };
    let page = SchemeEditPage {
        c: Chrome::new(lang, &auth.user, None, Section::Periods),
        action: action(&p.department.code, Some(&p.position)),
        code: p.department.code.clone(),
        name: p.department.name.clone(),
        position: Some(p.position.clone()),
        unit_price: price,
        department_price: p
            .department_rules
            .as_ref()
            .map_or(String::new(), |(_, d)| plain(*d)),
        inherited,
        toml: scheme.map_or(String::new(), schemes::to_toml),
        summary: scheme.map(SummaryVm::of),
        error: None,
        saved: q.saved.is_some(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /config/schemes/{code}/positions/{position}/check`.
pub async fn check_position(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    Path((code, position)): Path<(String, String)>,
    CsrfForm { user, form }: CsrfForm<SchemeForm>,
) -> Result<Response, WebError> {
    again(&state, lang, &user, &code, Some(&position), form).await
}

/// `POST /config/schemes/{code}/positions/{position}/save`: stores the position's scheme and
/// unit price and opens the editor again, or shows why it cannot (422, nothing stored).
pub async fn save_position(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    Path((code, position)): Path<(String, String)>,
    CsrfForm { user, form }: CsrfForm<SchemeForm>,
) -> Result<Response, WebError> {
    let p = schemes::one_position(&state.store, &code, &position).await?;
    let (Ok(scheme), Ok(price)) = (
        schemes::parse(&form.toml),
        schemes::parse_price(&form.unit_price),
    ) else {
        return again(&state, lang, &user, &code, Some(&position), form).await;
    };
    schemes::save_position(
        &state.store,
        p.department.id,
        &p.position,
        &scheme,
        price,
        &user.user.username,
    )
    .await?;
    let to = format!("{}?saved=1", action(&p.department.code, Some(&p.position)));
    Ok(Redirect::to(&to).into_response())
}

/// `POST /config/schemes/{code}/positions/{position}/delete`: the position's employees are
/// scored under the department's scheme again; back to the list. 404 when it has none.
pub async fn delete_position(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path((code, position)): Path<(String, String)>,
    CsrfForm { user, .. }: CsrfForm<super::session::CsrfOnly>,
) -> Result<Response, WebError> {
    let p = schemes::one_position(&state.store, &code, &position).await?;
    schemes::delete_position(
        &state.store,
        p.department.id,
        &p.position,
        &user.user.username,
    )
    .await?;
    Ok(Redirect::to("/config/schemes").into_response())
}

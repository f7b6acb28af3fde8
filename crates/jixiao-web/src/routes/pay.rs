//! `/config/points` (managers): the point standards with their history and the form that adds
//! one; and the payroll files `/p/{period}/payroll.xlsx` and `.csv` (managers and admins).

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use serde::Deserialize;

use super::render;
use crate::auth::{Authorized, CsrfForm, Managers, PeriodPath};
use crate::i18n::Lang;
use crate::points::{self, StandardForm, refusal_key};
use crate::view::points::PointsPage;
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The routes of this module, merged into the app's router.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/config/points", get(page).post(add))
        .route("/p/{period}/payroll.xlsx", get(payroll_xlsx))
        .route("/p/{period}/payroll.csv", get(payroll_csv))
}

/// `?added=1` after a successful add.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    added: Option<String>,
}

async fn build(state: &AppState, c: Chrome) -> Result<PointsPage, WebError> {
    let types = state.store.business_types().await?;
    let standards = state.store.point_standards().await?;
    Ok(PointsPage::build(c, types, standards))
}

/// `GET /config/points`.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let c = Chrome::new(lang, &auth.user, None, Section::Periods);
    let mut page = build(&state, c).await?;
    page.added = q.added.is_some();
    Ok(render(&page)?.into_response())
}

/// `POST /config/points`: adds a standard, or shows the page again with why it was refused
/// (422), for example a date inside a closed period.
pub async fn add(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<StandardForm>,
) -> Result<Response, WebError> {
    let by = &user.user.username;
    match points::add_standard(&state.store, &form, by, Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/config/points?added=1").into_response()),
        Err(e) => {
            let Some(key) = refusal_key(&e) else {
                return Err(e);
            };
            let c = Chrome::new(lang, &auth.user, None, Section::Periods);
            let mut page = build(&state, c).await?;
            page.error_key = Some(key);
            let status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok((status, render(&page)?).into_response())
        }
    }
}

fn download(bytes: Vec<u8>, content_type: &'static str, file: String) -> Response {
    let disposition = format!("attachment; filename=\"{file}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /p/{period}/payroll.xlsx`.
pub async fn payroll_xlsx(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    PeriodPath(period): PeriodPath,
) -> Result<Response, WebError> {
    let bytes = points::payroll(&state.store, period, lang, false).await?;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(download(
        bytes,
        xlsx,
        format!("jixiao-payroll-{period}.xlsx"),
    ))
}

/// `GET /p/{period}/payroll.csv`.
pub async fn payroll_csv(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    PeriodPath(period): PeriodPath,
) -> Result<Response, WebError> {
    let bytes = points::payroll(&state.store, period, lang, true).await?;
    let csv = "text/csv; charset=utf-8";
    Ok(download(bytes, csv, format!("jixiao-payroll-{period}.csv")))
}

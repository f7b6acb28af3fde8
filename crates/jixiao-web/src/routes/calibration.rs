//! `/config/calibration` (admins and managers): the calibration preview (写实测时) on the
//! stored calls of chosen months, and applying it as point standards from a date.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, Utc};
use jixiao_store::service;

use super::render;
use crate::auth::{Authorized, CsrfForm, Managers};
use crate::calibration::CalibrationQuery;
use crate::i18n::Lang;
use crate::view::calibration::CalibrationPage;
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The routes of this module, merged into the app's router.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/config/calibration", get(page))
        .route("/config/calibration/apply", post(apply))
}

async fn build(
    state: &AppState,
    c: Chrome,
    q: &CalibrationQuery,
) -> Result<CalibrationPage, WebError> {
    let types = state.store.business_types().await?;
    let periods = state.store.periods().await?;
    let mut page = CalibrationPage {
        c,
        types: types.iter().map(|t| t.code.to_string()).collect(),
        periods: periods.iter().map(|p| p.period.to_string()).collect(),
        base: q.base.trim().to_string(),
        months: q.months.trim().to_string(),
        skill: q.skill.trim().to_string(),
        dp: if q.dp.trim().is_empty() {
            "2".into()
        } else {
            q.dp.trim().to_string()
        },
        lines: Vec::new(),
        agents: Vec::new(),
        totals: None,
        error: None,
        default_from: String::new(),
    };
    if q.asked() {
        let preview = async {
            let req = q.request()?;
            Ok::<_, WebError>(service::calibration_preview(&state.store, &req).await?)
        }
        .await;
        match preview {
            Ok(p) => page.show(&p),
            Err(WebError::Invalid(why)) => page.error = Some(why),
            Err(e) => return Err(e),
        }
    }
    Ok(page)
}

/// `GET /config/calibration?base=&months=&skill=&dp=`.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Query(q): Query<CalibrationQuery>,
) -> Result<Response, WebError> {
    let c = Chrome::new(lang, &auth.user, None, Section::Periods);
    let page = build(&state, c, &q).await?;
    let status = if page.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)?).into_response())
}

/// `POST /config/calibration/apply`: recomputes the proposal and stores it as point standards
/// from the chosen date (audited); the page again with why when refused.
pub async fn apply(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<CalibrationQuery>,
) -> Result<Response, WebError> {
    let result = async {
        let req = form.request()?;
        let from = NaiveDate::parse_from_str(form.effective_from.trim(), "%Y-%m-%d")
            .map_err(|_| WebError::Invalid("effective date".into()))?;
        let by = &user.user.username;
        service::apply_calibration(&state.store, &req, from, by, Utc::now()).await?;
        Ok::<(), WebError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/config/points?added=1").into_response()),
        Err(e @ (WebError::Invalid(_) | WebError::PeriodClosed(_) | WebError::Conflict(_))) => {
            let c = Chrome::new(lang, &auth.user, None, Section::Periods);
            let mut page = build(&state, c, &form).await?;
            page.error = Some(match e {
                WebError::PeriodClosed(p) => format!("period {p} is closed"),
                other => other.to_string(),
            });
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}
